/**
 * The plugin: options checked before anything is opened, then the stores (database migrated, Redis
 * connected in distributed mode), the WeChat client, the login, the cookies, the hooks, and the auth
 * routes under `prefix`. Everything it opens is closed with the app.
 */
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { WechatAuth } from './decorator.js'
import { installErrorHandlers } from './errors/error-handler.js'
import { createAuthHooks, type SessionView } from './http/auth-hooks.js'
import { createCookieJar } from './http/cookies.js'
import { installRequestIds } from './http/request-id.js'
import { declareRequestState } from './http/request-state.js'
import { InProcessRateLimitStore } from './http/rate-limit-store.js'
import { RATE_LIMIT_KEYS_KEPT, createRateLimits, type RateLimits } from './http/rate-limits.js'
import { createLogin } from './login/index.js'
import { installMetrics } from './metrics/index.js'
import { createTokenVault } from './login/token-vault.js'
import { resolveOptions, type WechatAuthOptions } from './options.js'
import authRoutes from './routes/auth.js'
import healthRoutes from './routes/health.js'
import mpVerifyRoutes from './routes/mp-verify.js'
import jssdkRoutes from './routes/jssdk.js'
import meRoutes from './routes/me.js'
import subscriptionRoutes from './routes/subscription.js'
import { openStores } from './stores/index.js'
import type { SessionCache } from './stores/memory/session-cache.js'
import type { PluginContext } from './context.js'
import { createWechat } from './wechat-client.js'
import './augment.js'

async function wechatAuth(app: FastifyInstance, options: WechatAuthOptions): Promise<void> {
  const settings = resolveOptions(options)
  const stores = await openStores(settings, app.log)
  app.addHook('onClose', () => stores.close())
  try {
    installRequestIds(app)
    const { metrics, decorator: metricsDecorator } = installMetrics(app, settings)
    const wechat = createWechat(settings, stores.coordination.tokenCache, app.log, metrics)
    const login = createLogin({
      settings,
      wechat,
      repositories: stores.repositories,
      coordination: stores.coordination,
      vault: createTokenVault(settings.cookieSecret),
      now: settings.now,
      metrics,
    })
    const jar = createCookieJar(settings)
    // Built below, inside the scope @fastify/rate-limit is registered in: in place before any request.
    let built: RateLimits | null = null
    const limits: RateLimits = {
      authorize: async (request) => built?.authorize(request),
      exchange: async (request, state) => built?.exchange(request, state),
    }
    const hooks = createAuthHooks({
      login,
      jar,
      now: settings.now,
      cache: stores.sessionCache as SessionCache<SessionView> | null,
      metrics,
      exchangeLimit: limits.exchange,
    })
    const ctx: PluginContext = { settings, wechat, stores, login, jar, hooks, metrics, limits }

    declareRequestState(app)
    app.decorateRequest('wechatSession', null)
    app.decorateRequest('wechatUser', null)
    const decorator: WechatAuth = {
      requireUser: hooks.requireUser,
      requireProfile: hooks.requireProfile,
      db: stores.database.kysely,
      readiness: () => stores.checks(),
      mode: stores.mode,
      wechat,
      stores,
      metrics: metricsDecorator,
    }
    app.decorate('wechatAuth', decorator)
    if (settings.errorHandler) installErrorHandlers(app)

    if (settings.healthRoutes) await app.register(healthRoutes, { ctx })
    if (settings.mpVerifyDir !== null) {
      await app.register(mpVerifyRoutes, { dir: settings.mpVerifyDir })
    }
    await app.register(
      async (api) => {
        // Counters for http/rate-limits.ts (no route-level limit); shared through Redis in
        // distributed mode. A Redis outage lets requests through rather than blocking logins: the
        // limit is a guard, not a gate.
        await api.register(rateLimit, {
          global: false,
          skipOnError: true,
          cache: RATE_LIMIT_KEYS_KEPT,
          ...(stores.redis
            ? { redis: stores.redis.client, nameSpace: `${settings.redisKeyPrefix}rl:` }
            : { store: InProcessRateLimitStore }),
        })
        built = createRateLimits(api, settings, jar)
        await api.register(authRoutes, { prefix: '/auth', ctx })
        await api.register(meRoutes, { prefix: '/me', ctx })
        if (settings.subscription !== null) {
          await api.register(subscriptionRoutes, { prefix: '/me', ctx, ...settings.subscription })
        }
        if (settings.jssdk) await api.register(jssdkRoutes, { prefix: '/jssdk', ctx })
      },
      { prefix: settings.prefix },
    )
  } catch (error) {
    await stores.close()
    throw error
  }
}

/** The plugin: `await app.register(wechatAuth, options)`. */
export default fp(wechatAuth, { fastify: '5.x', name: '@wxauth/fastify' })
