/**
 * `app.wechat`: the WeChat API client (packages/wechat) configured from config. Every call is logged
 * with its endpoint, duration, attempt and errcode: never its parameters (they carry the secret,
 * codes and tokens).
 */
import fp from 'fastify-plugin'
import { createWechatClient, type WechatClient, type WechatClientOptions } from '@wxauth/wechat'
import type { Config } from '../config.js'

declare module 'fastify' {
  interface FastifyInstance {
    wechat: WechatClient
  }
}

export interface WechatPluginOptions {
  config: Config
  now: () => number
  fetch?: typeof fetch
  /** Test and tuning overrides (timeouts, retries). */
  overrides?: Partial<Omit<WechatClientOptions, 'appId' | 'secret' | 'onCall'>>
}

export default fp<WechatPluginOptions>(
  async (app, { config, now, fetch, overrides }) => {
    const log = app.log.child({ component: 'wechat' })
    const client = createWechatClient({
      appId: config.wechatAppId,
      secret: config.wechatSecret,
      apiBase: config.wechatApiBase,
      openBase: config.wechatOpenBase,
      // stable_token by default; classic cgi-bin/token only when the account needs it (config.ts).
      globalTokenMode: config.wechatGlobalToken,
      // In process (embedded) or in Redis (distributed): one global token for every instance.
      tokenCache: app.stores.tokenCache,
      now,
      ...(fetch ? { fetch } : {}),
      ...overrides,
      onCall(event) {
        const line = {
          endpoint: event.endpoint,
          durationMs: Math.round(event.durationMs),
          attempt: event.attempt,
          ok: event.ok,
          errcode: event.errcode,
          reason: event.reason,
        }
        if (event.ok) log.info(line, 'wechat call')
        else log.warn(line, 'wechat call failed')
      },
    })
    app.decorate('wechat', client)
  },
  { name: 'wxauth-wechat', dependencies: ['wxauth-stores'] },
)
