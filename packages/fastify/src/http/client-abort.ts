/**
 * A client that hangs up while its request body is still arriving (or sends a body that breaks off)
 * is not a store outage, though both surface as socket errors such as ECONNRESET: Node destroys the
 * request stream with `Error: aborted` (code ECONNRESET), and Fastify's body parser passes that on
 * with a 4xx `statusCode`. Telling them apart by where the error came from keeps anyone on the
 * internet from raising false "database down" alerts: a client abort is logged at info and answered
 * 400 (to nobody), while a pg or Redis socket error, which never carries an HTTP status, stays a 503.
 */
import type { FastifyRequest } from 'fastify'

/** Socket-level codes a request stream may fail with. */
const STREAM_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT'])

/** Did `error` come from the client's side of the connection (the request stream)? */
export function isClientAbort(error: unknown, request?: FastifyRequest): boolean {
  if (error === null || typeof error !== 'object') return false
  // The error the raw request stream was destroyed with: the most direct evidence.
  if (request !== undefined && request.raw.errored === error) return true
  const { code, message, statusCode } = error as {
    code?: unknown
    message?: unknown
    statusCode?: unknown
  }
  // node:_http_server's abortIncoming: the socket closed before the request was complete.
  if (code === 'ECONNRESET' && message === 'aborted') return true
  // Fastify's body parser marks stream errors with a 4xx status; store drivers never do.
  return (
    typeof code === 'string' &&
    STREAM_CODES.has(code) &&
    typeof statusCode === 'number' &&
    statusCode >= 400 &&
    statusCode < 500
  )
}
