/**
 * Graceful shutdown under traffic, for the process that serves the login. On SIGTERM or SIGINT:
 * 1. draining starts: `/readyz` answers 503 (a load balancer stops sending new requests), and every
 *    response from now on, including those of requests already in flight, says `Connection: close`,
 *    so a busy keep-alive connection ends after its answer instead of holding the server open;
 * 2. `app.close()`: the listener closes, idle connections are closed, and every 100 ms so are the
 *    ones that became idle since (a response whose headers left before draining began);
 * 3. once no connection is left, the `onClose` hooks run (the stores: SQLite checkpoints and removes
 *    its WAL, PostgreSQL and Redis disconnect) and the process exits 0;
 * 4. a request still unanswered after `graceMs - 1 s` has its connection cut, so the stores are still
 *    closed and the exit (0) comes within `graceMs`; close-with-grace exits 1 only if closing the
 *    stores itself hangs.
 * Only SIGTERM and SIGINT stop the server: SIGHUP (a closed terminal, a process manager's "reload")
 * and SIGUSR2 (nodemon's restart signal) are logged and ignored. An uncaught error still closes the
 * app and exits 1.
 *
 * ```ts
 * const app = Fastify({ forceCloseConnections: 'idle' })
 * await app.register(drainOnShutdown)   // before the routes
 * await app.register(wechatAuth, options)
 * await app.listen({ port })
 * installShutdown(app)
 * ```
 */
import type { ServerResponse } from 'node:http'
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** Default time from the signal to the exit. */
export const SHUTDOWN_GRACE_MS = 5_000
/** Signals that are logged and otherwise ignored. */
export const IGNORED_SIGNALS = ['SIGHUP', 'SIGUSR2'] as const
/**
 * What close-with-grace would also treat as "stop" besides SIGINT/SIGTERM. Left to their default
 * disposition (they are faults or debugging aids, not an operator asking for a stop).
 */
const OTHER_SIGNALS = [
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGSEGV',
] as const

declare module 'fastify' {
  interface FastifyInstance {
    /** Graceful shutdown: `drain()` starts it (idempotent); `draining` says whether it has. */
    shutdown: { readonly draining: boolean; drain(): void }
  }
}

function closeAfterResponse(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close')
}

/**
 * The app side of shutdown: tracks responses in flight and, once draining, makes every one of them
 * close its connection, and `/readyz` answer 503. Register before the routes.
 */
export const drainOnShutdown = fp(
  async (app: FastifyInstance) => {
    const inFlight = new Set<ServerResponse>()
    let draining = false

    // At the socket level, so it covers every response (routes, 404s, static files, errors).
    app.server.on('request', (_req, res: ServerResponse) => {
      if (draining) closeAfterResponse(res)
      inFlight.add(res)
      res.once('close', () => inFlight.delete(res))
    })

    app.addHook('onRequest', async (request, reply) => {
      if (!draining || request.routeOptions.url !== '/readyz') return
      const checks = await app.wechatAuth.readiness()
      reply.header('cache-control', 'no-store')
      return reply.status(503).send({
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'This instance is shutting down',
        status: 'unavailable',
        checks,
      })
    })

    app.decorate('shutdown', {
      get draining() {
        return draining
      },
      drain() {
        if (draining) return
        draining = true
        for (const res of inFlight) closeAfterResponse(res)
      },
    })
  },
  { name: '@wxauth/fastify/drain' },
)

/**
 * Close `app` gracefully: drain, close, reap idle connections, cut what is left before the deadline.
 * Resolves once `app.close()` has finished (stores closed).
 */
export async function closeGracefully(
  app: FastifyInstance,
  graceMs = SHUTDOWN_GRACE_MS,
): Promise<void> {
  app.shutdown.drain()
  const reap = setInterval(() => app.server.closeIdleConnections(), 100)
  const cut = setTimeout(
    () => {
      app.log.warn('requests still open at the shutdown deadline: closing their connections')
      app.server.closeAllConnections()
    },
    Math.max(0, graceMs - 1_000),
  )
  try {
    await app.close()
  } finally {
    clearInterval(reap)
    clearTimeout(cut)
  }
}

/** Install the signal handling of server.ts. */
export function installShutdown(app: FastifyInstance, graceMs = SHUTDOWN_GRACE_MS): void {
  for (const signal of IGNORED_SIGNALS) {
    process.on(signal, () => {
      app.log.info({ signal }, 'signal ignored: only SIGTERM and SIGINT stop the server')
    })
  }
  closeWithGrace(
    {
      delay: graceMs,
      skip: [...IGNORED_SIGNALS, ...OTHER_SIGNALS],
      logger: {
        error: (message: unknown) => app.log.error({ detail: String(message) }, 'shutdown failed'),
      },
      onSecondSignal: (signal) => {
        app.log.warn({ signal }, 'second signal while shutting down: exiting now')
      },
    },
    async ({ signal, err }) => {
      if (err) app.log.error({ err }, 'shutting down after an error')
      else app.log.info({ signal }, 'shutting down')
      await closeGracefully(app, graceMs)
      app.log.info('shut down: every connection closed, stores closed')
    },
  )
}
