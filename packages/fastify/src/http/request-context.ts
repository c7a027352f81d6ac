/**
 * The request a WeChat call is made for, without passing it down: the WeChat client's `onCall`
 * runs deep inside the login (code exchange, userinfo, token refresh) yet its log line must carry
 * the request's id. An AsyncLocalStorage holds the request's logger (Fastify binds `reqId` into
 * it) around the work that talks to WeChat: the code exchange, the profile refresh, the follower
 * and JS-SDK lookups.
 *
 * Only around that work, not around every request: on Node 20 an enabled AsyncLocalStorage hooks
 * every promise of the process, which measured about 10 % of the CPU of a `GET /api/me` (bench/).
 * So the storage is enabled while at least one such span runs and disabled when the last ends;
 * a session-cookie request pays nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { FastifyBaseLogger } from 'fastify'

const storage = new AsyncLocalStorage<FastifyBaseLogger>()
/** Spans running now (they overlap: concurrent logins). */
let spans = 0

/** The logger of the request the current WeChat call is made for; undefined outside a span. */
export function requestLog(): FastifyBaseLogger | undefined {
  return storage.getStore()
}

/** Run `work` (which calls WeChat) with `log` as the log of its WeChat call lines. */
export async function withRequestLog<T>(
  log: FastifyBaseLogger,
  work: () => Promise<T>,
): Promise<T> {
  spans++
  try {
    return await storage.run(log, work)
  } finally {
    if (--spans === 0) storage.disable()
  }
}
