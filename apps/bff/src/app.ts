/**
 * `buildApp(config)`: the demo BFF as a Fastify instance, ready to `listen()` or `inject()`: the
 * login (`@wxauth/fastify`), the demo activity under `/api/activity`, liveness and readiness, the
 * OpenAPI UI and the built SPA. Reads nothing from the environment (server.ts does).
 */
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { DestinationStream } from 'pino'
import wechatAuth, {
  OneLinePerRequest,
  createLogger,
  requestIdOptions,
  type WechatAuthOptions,
} from '@wxauth/fastify'
import activityRoutes from './activity/routes.js'
import { ACTIVITY_MIGRATIONS } from './activity/migrations.js'
import type { Config } from './config.js'
import openApi from './plugins/openapi.js'
import staticFiles from './plugins/static.js'

export interface BuildOptions {
  /** A ready logger (server.ts passes one with pretty printing on a TTY). */
  logger?: FastifyBaseLogger
  /** Where JSON log lines go when no `logger` is given (tests capture them). Default stdout. */
  logStream?: DestinationStream
  /** Plugin options on top of the config's (tests: fetch, clock, WeChat timeouts, Redis prefix). */
  wechatAuth?: Partial<WechatAuthOptions>
}

/** Build the BFF. The caller owns it: `await app.close()` closes the database too. */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // X-Request-Id kept when safe, else a fresh id; echoed in the response by the plugin.
    ...requestIdOptions(),
    loggerInstance: opts.logger ?? createLogger(config.logLevel, opts.logStream),
    logController: new OneLinePerRequest(),
    // The only bodies are { code, state }.
    bodyLimit: 64 * 1024,
    // A union-typed value here would steer Fastify's overloads to the http2 one.
    trustProxy: config.trustProxy as FastifyServerOptions['trustProxy'],
  }).withTypeProvider<TypeBoxTypeProvider>()

  await app.register(openApi)
  const options = { ...config.wechatAuth, migrations: ACTIVITY_MIGRATIONS, ...opts.wechatAuth }
  await app.register(wechatAuth, options)
  const now = options.now ?? Date.now
  await app.register(activityRoutes, { prefix: '/api/activity', now })
  await app.register(staticFiles, { config })
  return app
}
