/**
 * `buildApp(config)`: the whole BFF as a Fastify instance, ready to `listen()` or `inject()`. Reads
 * nothing from the environment (server.ts does) and opens nothing but the configured database.
 */
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify'
import rateLimit from '@fastify/rate-limit'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { DestinationStream } from 'pino'
import type { WechatClientOptions } from '@wxauth/wechat'
import type { Config } from './config.js'
import { installErrorHandlers } from './errors.js'
import { createLogger, OneLinePerRequest } from './logger.js'
import authPlugin from './plugins/auth.js'
import sessionPlugin from './plugins/session.js'
import staticPlugin from './plugins/static.js'
import storesPlugin from './plugins/stores.js'
import swaggerPlugin from './plugins/swagger.js'
import wechatPlugin from './plugins/wechat.js'
import activityRoutes from './routes/activity.js'
import authRoutes from './routes/auth.js'
import healthRoutes from './routes/health.js'
import jssdkRoutes from './routes/jssdk.js'
import meRoutes from './routes/me.js'
import subscriptionRoutes from './routes/subscription.js'

export interface BuildOptions {
  /** A ready logger (server.ts passes one with pretty printing on a TTY). */
  logger?: FastifyBaseLogger
  /** Where JSON log lines go when no `logger` is given (tests capture them). Default stdout. */
  logStream?: DestinationStream
  /** The fetch the WeChat client uses (tests wrap it). */
  fetch?: typeof fetch
  /** The clock (epoch ms). */
  now?: () => number
  /** WeChat client tuning (timeouts, retries). */
  wechat?: Partial<Omit<WechatClientOptions, 'appId' | 'secret' | 'onCall'>>
  /** Prefix of every Redis key and channel in distributed mode. Default `wxauth:`. */
  redisKeyPrefix?: string
}

/** Build the BFF. The caller owns it: `await app.close()` closes the database too. */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const now = opts.now ?? Date.now
  const app = Fastify({
    loggerInstance: opts.logger ?? createLogger(config.logLevel, opts.logStream),
    logController: new OneLinePerRequest(),
    // The only bodies are { code, state }.
    bodyLimit: 64 * 1024,
    // A union-typed value here would steer Fastify's overloads to the http2 one.
    trustProxy: config.trustProxy as FastifyServerOptions['trustProxy'],
  }).withTypeProvider<TypeBoxTypeProvider>()

  installErrorHandlers(app)

  await app.register(swaggerPlugin)
  await app.register(sessionPlugin, { config })
  await app.register(storesPlugin, {
    config,
    now,
    ...(opts.redisKeyPrefix === undefined ? {} : { redisKeyPrefix: opts.redisKeyPrefix }),
  })
  await app.register(wechatPlugin, {
    config,
    now,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.wechat ? { overrides: opts.wechat } : {}),
  })
  await app.register(authPlugin, { config, now })
  // Opt-in per route (authorize-url); shared through Redis in distributed mode. A Redis outage
  // lets requests through rather than blocking logins: the limit is a guard, not a gate.
  await app.register(rateLimit, {
    global: false,
    skipOnError: true,
    ...(app.redis
      ? { redis: app.redis.client, nameSpace: `${opts.redisKeyPrefix ?? 'wxauth:'}rl:` }
      : {}),
  })

  await app.register(healthRoutes)
  await app.register(
    async (api) => {
      // Everything under /api depends on who asks: never cached by a browser or a proxy.
      api.addHook('onRequest', (_request, reply, done) => {
        reply.header('cache-control', 'no-store')
        done()
      })
      await api.register(authRoutes, { prefix: '/auth', config })
      await api.register(meRoutes, { prefix: '/me' })
      await api.register(subscriptionRoutes, { prefix: '/me', config })
      await api.register(activityRoutes, { prefix: '/activity', config, now })
      await api.register(jssdkRoutes, { prefix: '/jssdk', config, now })
    },
    { prefix: '/api' },
  )
  await app.register(staticPlugin, { config })
  return app
}
