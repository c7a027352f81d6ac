/**
 * The request a piece of work runs for, without passing it down: the WeChat client's `onCall`
 * runs deep inside the login (code exchange, userinfo, token refresh) yet its log line must carry
 * the request's id. An AsyncLocalStorage holds the request's logger (Fastify binds `reqId` into
 * it) from the request's first hook to its response.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify'

const storage = new AsyncLocalStorage<FastifyBaseLogger>()

/** The logger of the request the current work runs for, if any (undefined outside a request). */
export function requestLog(): FastifyBaseLogger | undefined {
  return storage.getStore()
}

/** Run `next` (the rest of the request's hooks and its handler) in `request`'s context. */
export function enterRequestContext(request: FastifyRequest, next: () => void): void {
  storage.run(request.log, next)
}

/**
 * Keep the context entered by an onRequest hook calling {@link enterRequestContext} through body
 * parsing, on `app` (every route registered after this).
 */
export function keepRequestContext(app: FastifyInstance): void {
  // A body is read from the socket's stream events, which run outside the context entered above:
  // enter it again for what follows (validation, the auth hooks, the handler).
  app.addHook('preValidation', (request, _reply, done) => {
    if (storage.getStore() === request.log) done()
    else storage.run(request.log, done)
  })
}
