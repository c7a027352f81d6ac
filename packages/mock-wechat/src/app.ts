/**
 * `buildMockWechat(options)`: the WeChat simulator as a Fastify app. Serves open.weixin.qq.com's
 * authorize page and api.weixin.qq.com's `/sns/*` and `/cgi-bin/*` on one origin, plus the
 * `/__mock` control plane. Not a production server.
 */
import formbody from '@fastify/formbody'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { DEFAULT_APP, type MockApp } from './apps.js'
import { avatarRoutes } from './avatars.js'
import { maskUrl } from './calls.js'
import { createContext } from './context.js'
import { authorizeRoutes } from './routes/authorize.js'
import { cgiBinRoutes } from './routes/cgi-bin.js'
import { controlRoutes } from './routes/control.js'
import { snsRoutes } from './routes/sns.js'
import { unknownRouteHandler } from './routes/unknown.js'
import { DEFAULT_QUOTAS, type OrderCheck, type Settings } from './settings.js'

export interface MockWechatOptions {
  /** Official Accounts the simulator knows (default `[DEFAULT_APP]`). */
  apps?: MockApp[]
  /** Fastify logger; request URLs are logged with secrets and tokens masked. Default off. */
  logger?: FastifyServerOptions['logger']
  /** The base clock in ms since the epoch (default `Date.now`); `/__mock/clock` adds on top. */
  now?: () => number
  /**
   * Refuse authorize links whose state is outside `[A-Za-z0-9]`, the documented charset (default
   * false: WeChat echoes any state and only enforces its 128 bytes).
   */
  strictState?: boolean
  /**
   * Which authorize links must keep WeChat's parameter order: `userinfo` (default, what WeChat
   * does), `all` (the documented rule, both scopes) or `off`.
   */
  orderCheck?: OrderCheck
  /** Older spelling of `orderCheck`: `true` is `all`, `false` is `off` (`orderCheck` wins). */
  strictOrder?: boolean
  /** How long a `timeout` failure holds the response before dropping it (default 10000 ms). */
  timeoutHoldMs?: number
  /** Authorize requests per client IP per minute before 10009 (default 30). */
  authorizeRateLimitPerMinute?: number
  /** errcode for a code older than 5 minutes: 40029 (default, what developers see) or 42003. */
  expiredCodeErrcode?: 40029 | 42003
  /** `cgi-bin/token` calls per app per day before 45009 (default 2000, WeChat's quota). */
  tokenDailyQuota?: number
  /** `cgi-bin/stable_token` calls per app per day before 45009 (default 500000). */
  stableTokenDailyQuota?: number
  /** `stable_token` force refreshes per app per day before 45009 (default 20). */
  stableForceDailyLimit?: number
  /** `cgi-bin/user/info` calls per app per day before 45009 (default 5000000). */
  userInfoDailyQuota?: number
}

function loggerOptions(logger: MockWechatOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false
  const serializers = {
    req(request: { method: string; url: string }) {
      return { method: request.method, url: maskUrl(request.url) }
    },
  }
  return logger === true
    ? { serializers }
    : { ...logger, serializers: { ...serializers, ...logger.serializers } }
}

/** The rules of one simulator: the options given, WeChat's behaviour for the rest. */
export function resolveSettings(options: MockWechatOptions): Settings {
  const legacyOrder =
    options.strictOrder === undefined ? undefined : options.strictOrder ? 'all' : 'off'
  return {
    strictState: options.strictState ?? false,
    orderCheck: options.orderCheck ?? legacyOrder ?? 'userinfo',
    timeoutHoldMs: options.timeoutHoldMs ?? 10_000,
    authorizeRateLimitPerMinute: options.authorizeRateLimitPerMinute ?? 30,
    expiredCodeErrcode: options.expiredCodeErrcode ?? 40029,
    quotas: {
      token: options.tokenDailyQuota ?? DEFAULT_QUOTAS.token,
      stableToken: options.stableTokenDailyQuota ?? DEFAULT_QUOTAS.stableToken,
      stableForce: options.stableForceDailyLimit ?? DEFAULT_QUOTAS.stableForce,
      userInfo: options.userInfoDailyQuota ?? DEFAULT_QUOTAS.userInfo,
    },
  }
}

/**
 * Build a simulator. Returns the Fastify app synchronously; start it with
 * `await app.listen({ port: 0, host: '127.0.0.1' })`. Throws if `options.apps` is invalid.
 */
export function buildMockWechat(options: MockWechatOptions = {}): FastifyInstance {
  const ctx = createContext({
    apps: options.apps ?? [DEFAULT_APP],
    ...(options.now ? { now: options.now } : {}),
    settings: resolveSettings(options),
  })
  const app = Fastify({
    logger: loggerOptions(options.logger),
    // Held (timeout) and slow (latency) responses must not keep app.close() waiting.
    forceCloseConnections: true,
    // Control bodies are checked as sent: no coercion of "5" to 5, no silent removal of typos.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  })
  app.addHook('preClose', async () => ctx.waits.cancelAll())

  app.register(formbody)
  app.register(authorizeRoutes(ctx))
  app.register(snsRoutes(ctx))
  app.register(cgiBinRoutes(ctx))
  app.register(avatarRoutes)
  app.register(controlRoutes(ctx), { prefix: '/__mock' })
  app.get('/', async (_request, reply) => reply.redirect('/__mock', 302))
  // Clients parse every body as JSON: a path or method WeChat does not serve gets an errcode.
  app.setNotFoundHandler(unknownRouteHandler(ctx))
  return app
}
