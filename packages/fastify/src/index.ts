/**
 * `@wxauth/fastify`: WeChat Official Account web login (公众号网页授权) as a Fastify plugin.
 *
 * ```ts
 * import wechatAuth from '@wxauth/fastify'
 * await app.register(wechatAuth, { appId, secret, publicUrl, cookieSecret })
 * await app.register(async (api) => {
 *   api.addHook('preHandler', api.wechatAuth.requireUser)
 *   api.get('/api/orders', async (req) => ({ openid: req.wechatSession?.openid }))
 * })
 * ```
 */
import plugin from './plugin.js'
import './augment.js'

export default plugin
export { plugin as wechatAuth }
export type {
  Duration,
  GlobalTokenSource,
  MetricsOptions,
  WechatAuthOptions,
  WechatLang,
} from './options.js'
export { WechatAuthOptionsError, parseDuration, resolveOptions } from './options.js'
export { ENV_KEYS, ENV_OPTIONS, optionsFromEnv } from './env.js'
export { SHUTDOWN_GRACE_MS, closeGracefully, drainOnShutdown, installShutdown } from './shutdown.js'
export type { WechatAuth } from './decorator.js'
export type { WechatAuthMetrics } from './metrics/index.js'
export { REQUEST_ID_HEADER, SAFE_REQUEST_ID, requestIdOptions } from './http/request-id.js'
export type { AuthHook } from './http/auth-hooks.js'
export type { WechatSession } from './http/request-types.js'
export { ApiError } from './errors/api-error.js'
export {
  errorBody,
  installErrorHandlers,
  logFailure,
  sendError,
  toApiError,
} from './errors/error-handler.js'
export { SESSION_COOKIE, STATE_COOKIE } from './http/cookies.js'
export { wechatAuthOpenApi } from './openapi.js'
export { cspDirectives, inlineHashes, wechatH5SecurityHeaders } from './security-headers.js'
export { ROUTE_ERRORS, errorResponses, success } from './routes/error-responses.js'
export { OneLinePerRequest, createLogger, loggerOptions, safeUrl } from './logging.js'
export type { LogLevel } from './logging.js'
export { addIdColumn, isPostgres } from './stores/sql/portable.js'
export type { Database as WechatAuthTables, SqlDatabase } from './stores/sql/database.js'
export type { StoreChecks, StoreStatus, StoresMode } from './stores/types.js'
export { isStoreUnavailable, StoreUnavailableError } from './stores/unavailable.js'
