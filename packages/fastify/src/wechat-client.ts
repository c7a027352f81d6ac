/**
 * The WeChat API client (@wxauth/wechat) built from the settings. Every call is logged with its
 * endpoint, duration, attempt and errcode: never its parameters (they carry the secret, codes and
 * tokens); on the log of the request it runs for, when there is one, so the line carries the
 * request's id. Every call and global-token fetch is counted (metrics/).
 */
import type { FastifyBaseLogger } from 'fastify'
import { createWechatClient, type TokenCache, type WechatClient } from '@wxauth/wechat'
import { requestLog } from './http/request-context.js'
import type { Metrics } from './metrics/index.js'
import type { Settings } from './options.js'

/** Create the client; `tokenCache` is in process (embedded) or in Redis (distributed). */
export function createWechat(
  settings: Settings,
  tokenCache: TokenCache,
  log: FastifyBaseLogger,
  metrics: Metrics,
): WechatClient {
  const appCallLog = log.child({ component: 'wechat' })
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
    onGlobalToken: (event) => metrics.globalToken(event),
    onCall(event) {
      metrics.wechatCall(event)
      const callLog = requestLog()?.child({ component: 'wechat' }) ?? appCallLog
      const line = {
        endpoint: event.endpoint,
        durationMs: Math.round(event.durationMs),
        attempt: event.attempt,
        ok: event.ok,
        errcode: event.errcode,
        reason: event.reason,
        status: event.status,
      }
      if (event.ok) callLog.info(line, 'wechat call')
      else callLog.warn(line, 'wechat call failed')
    },
  })
}
