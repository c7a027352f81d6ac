/**
 * The WeChat API client (@wxauth/wechat) built from the settings. Every call is logged with its
 * endpoint, duration, attempt and errcode: never its parameters (they carry the secret, codes and
 * tokens).
 */
import type { FastifyBaseLogger } from 'fastify'
import { createWechatClient, type TokenCache, type WechatClient } from '@wxauth/wechat'
import type { Settings } from './options.js'

/** Create the client; `tokenCache` is in process (embedded) or in Redis (distributed). */
export function createWechat(
  settings: Settings,
  tokenCache: TokenCache,
  log: FastifyBaseLogger,
): WechatClient {
  const callLog = log.child({ component: 'wechat' })
  return createWechatClient({
    appId: settings.appId,
    secret: settings.secret,
    apiBase: settings.wechatApiBase,
    openBase: settings.wechatOpenBase,
    // stable_token by default; classic cgi-bin/token only when the account needs it.
    globalTokenMode: settings.globalToken,
    tokenCache,
    now: settings.now,
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
    ...settings.wechat,
    onCall(event) {
      const line = {
        endpoint: event.endpoint,
        durationMs: Math.round(event.durationMs),
        attempt: event.attempt,
        ok: event.ok,
        errcode: event.errcode,
        reason: event.reason,
      }
      if (event.ok) callLog.info(line, 'wechat call')
      else callLog.warn(line, 'wechat call failed')
    },
  })
}
