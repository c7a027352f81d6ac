/**
 * One id per request (docs/operating.md#one-id-per-request): an incoming `X-Request-Id` of a safe
 * shape (set by a load balancer, or by the SPA) is kept, otherwise a random one is made. Fastify
 * binds it into every log line of the request (`reqId`), the WeChat call lines included
 * (request-context.ts); the plugin echoes it in the response's `X-Request-Id`, so one login can
 * be followed from the SPA's request to WeChat's answer.
 *
 * Fastify reads the id once, when it creates the request, from server options the plugin cannot
 * change after the fact: the app passes {@link requestIdOptions} to `Fastify({ ... })`.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance } from 'fastify'

/** The header the id comes in and goes out with. */
export const REQUEST_ID_HEADER = 'x-request-id'

/**
 * What an incoming id may look like to be kept: letters, digits and `._:-`, at most 128. Anything
 * else (spaces, CR/LF, quotes, a 300-character blob, two headers joined by `, `) could forge or
 * break a log line or a header, and is replaced.
 */
export const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** The incoming id if it has a safe shape, else a fresh random one (a UUID). */
export function requestIdOf(request: Pick<IncomingMessage, 'headers'>): string {
  const incoming = request.headers[REQUEST_ID_HEADER]
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID()
}

/**
 * Fastify server options for wxauth's request ids: `Fastify({ ...requestIdOptions(), logger })`.
 * `requestIdHeader: false` leaves the header to `genReqId`, which keeps it only when it is safe.
 */
export function requestIdOptions(): {
  genReqId: (request: IncomingMessage) => string
  requestIdHeader: false
} {
  return { genReqId: requestIdOf, requestIdHeader: false }
}

/** Echo each request's id in its response, for every route registered on `app` after this. */
export function installRequestIds(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id)
    done()
  })
}
