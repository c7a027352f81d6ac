/**
 * `buildApp(config)`: the demo BFF as a Fastify instance, ready to `listen()` or `inject()`: the
 * login (`@wxauth/fastify`), the demo activity under `/api/activity`, liveness and readiness, the
 * OpenAPI UI (outside production unless OPENAPI_DOCS=true), the built SPA, security headers on
 * every response, timeouts and a graceful shutdown. Reads nothing from the environment (server.ts does).
 */
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { DestinationStream } from 'pino'
import wechatAuth, {
  createLogger,
  drainOnShutdown,
  OneLinePerRequest,
  requestIdOptions,
  wechatH5SecurityHeaders,
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

/**
 * How long a client may take to send a whole request (headers and body). A slow-loris socket that
 * trickles bytes is answered 408 and closed after this; the SPA's requests are a few hundred bytes.
 */
export const REQUEST_TIMEOUT_MS = 10_000
/**
 * How long a socket may stay silent (no byte either way) before it is closed. Longer than the
 * slowest legitimate answer (a code exchange: WeChat calls of 5 s each, bounded retries) and twice
 * the SPA's own 15 s request timeout, so it only ever closes sockets nobody is waiting on.
 */
export const CONNECTION_TIMEOUT_MS = 30_000
/**
 * How often Node checks the two limits above. Its default (30 s) let unfinished requests linger up to
 * 40 s past the request timeout; once a second, a slow-loris socket is closed within ~11 s.
 */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000
/**
 * Idle keep-alive sockets are closed after 72 s (Fastify's default, kept on purpose): longer than the
 * 60 s idle timeout of common load balancers, so the balancer always closes first and never sends a
 * request down a socket this server is closing.
 */
const KEEP_ALIVE_TIMEOUT_MS = 72_000

/** Build the BFF. The caller owns it: `await app.close()` closes the database too. */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // X-Request-Id kept when safe, else a fresh id; echoed in the response by the plugin.
    ...requestIdOptions(),
    loggerInstance: opts.logger ?? createLogger(config.logLevel, opts.logStream),
    logController: new OneLinePerRequest(),
    // The only bodies are { code, state }.
    bodyLimit: 64 * 1024,
    requestTimeout: REQUEST_TIMEOUT_MS,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    http: {
      connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
      // Headers are part of the request: the same bound (Node's own default is 60 s).
      headersTimeout: REQUEST_TIMEOUT_MS,
    },
    // A union-typed value here would steer Fastify's overloads to the http2 one.
    trustProxy: config.trustProxy as FastifyServerOptions['trustProxy'],
    // While shutting down, a request arriving on a kept-alive connection is answered normally (with
    // `Connection: close`, shutdown.ts), not with a 503: the client did nothing wrong.
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>()

  const options = { ...config.wechatAuth, migrations: ACTIVITY_MIGRATIONS, ...opts.wechatAuth }
  await app.register(drainOnShutdown)
  await app.register(wechatH5SecurityHeaders, { options, staticDir: config.staticDir })

  if (config.openApiDocs) await app.register(openApi)
  await app.register(wechatAuth, options)
  const now = options.now ?? Date.now
  await app.register(activityRoutes, { prefix: '/api/activity', now })
  await app.register(staticFiles, { config })
  return app
}
