/**
 * Ctrl+C for a Vite dev server run from a script (dev-mock.mjs): exit 0, with no crash report.
 *
 * The terminal signals its whole process group, so esbuild (Vite's bundler, a child process) is
 * stopped at the same moment as the server. Whatever it was still bundling (the dependency
 * optimizer in the first seconds of a cold start, or after `--force`) then fails with esbuild's
 * "The service was stopped" / "is no longer running": Vite logs a warning or an error, and a
 * rejection nobody awaits would make Node exit 1 with a stack trace. Once a stop was asked for,
 * those are expected. They can also come a moment *before* the signal reaches this process, so
 * they are held for {@link GRACE_MS} and shown only if no stop signal follows (esbuild really died).
 */
import { createLogger } from 'vite'

const ESBUILD_STOPPED = /The service (was stopped|is no longer running)/
const GRACE_MS = 1000

let stopping = false

/** Show `report` unless a stop signal comes within the grace period. */
function unlessStopping(report) {
  if (stopping) return
  setTimeout(() => {
    if (!stopping) report()
  }, GRACE_MS).unref()
}

const messageOf = (reason) => String(reason instanceof Error ? reason.message : reason)

/**
 * Install the stop handling, before the server starts: SIGINT/SIGTERM close the server (once
 * `getServer()` has one), then exit 0; esbuild's "stopped" rejections and log lines are held as
 * above. Returns the Vite logger that holds them (`createServer({ customLogger })`).
 * (close-with-grace, used by @wxauth/fastify, would exit 1 on exactly those rejections.)
 */
export function quietStop(getServer) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      stopping = true
      const exit = () => process.exit(0)
      const server = getServer()
      if (server) void server.close().then(exit, exit)
      else exit()
    })
  }
  process.on('unhandledRejection', (reason) => {
    if (!ESBUILD_STOPPED.test(messageOf(reason))) throw reason // Node's own behaviour
    unlessStopping(() => {
      console.error(reason)
      process.exit(1)
    })
  })
  const logger = createLogger()
  for (const level of ['warn', 'error']) {
    const log = logger[level].bind(logger)
    logger[level] = (message, options) => {
      if (ESBUILD_STOPPED.test(message)) unlessStopping(() => log(message, options))
      else log(message, options)
    }
  }
  return logger
}
