/**
 * The request a piece of work runs for, without passing it down: the WeChat client's `onCall`
 * runs deep inside the login (code exchange, userinfo, token refresh) yet its log line must carry
 * the request's id. An AsyncLocalStorage holds the request's logger (Fastify binds `reqId` into
 * it), entered by the plugin's onRequest hook (request-id.ts) for the rest of the request: its
 * hooks, its handler, every await in them. Fastify runs a body's parser in the request's async
 * scope (an AsyncResource in its content-type parser), so the context survives a body that arrives
 * after the headers (test/http/request-id.test.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { FastifyBaseLogger, FastifyRequest } from 'fastify'

const storage = new AsyncLocalStorage<FastifyBaseLogger>()

/** The logger of the request the current work runs for, if any (undefined outside a request). */
export function requestLog(): FastifyBaseLogger | undefined {
  return storage.getStore()
}

/** Run `next` (the rest of the request's hooks and its handler) in `request`'s context. */
export function enterRequestContext(request: FastifyRequest, next: () => void): void {
  storage.run(request.log, next)
}
