/**
 * The one place errors become HTTP responses: every error body is `{ statusCode, code, message }`
 * (docs/architecture.md#errors). `toApiError` classifies anything thrown (pure: the code exchange
 * uses it to record an outcome); `logFailure` says what deserves a log line; the handler installed
 * on the app does both and sends the body. Anything unexpected is a generic 500, so no internal
 * detail reaches the client.
 */
import type {
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify'
import type { ErrorBody } from '@wxauth/shared'
import { WechatApiError, WechatError } from '@wxauth/wechat'
import { isClientAbort } from '../http/client-abort.js'
import { isStoreUnavailable } from '../stores/unavailable.js'
import { ApiError } from './api-error.js'
import { RateLimitedError } from './rate-limited.js'
import { configHint, fromWechatError } from './wechat-errors.js'

/** Fastify's own client errors (bad JSON, wrong content type, body too large…) by status. */
function fromClientStatus(status: number, message: string | undefined): ApiError {
  if (status === 404) return new ApiError('NOT_FOUND')
  if (status === 415) return new ApiError('UNSUPPORTED_MEDIA_TYPE')
  if (status === 429) return new ApiError('RATE_LIMITED')
  return new ApiError('VALIDATION_ERROR', message ?? undefined)
}

/** What anything thrown means for the client. Pure: logs nothing. */
export function toApiError(error: unknown, request?: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error
  if (error instanceof WechatError) return fromWechatError(error)
  const fastifyError = error as Partial<FastifyError> | null
  if (fastifyError?.validation) return new ApiError('VALIDATION_ERROR', fastifyError.message)
  // Before the store check: a hung-up client's ECONNRESET is not a database's.
  if (isClientAbort(error, request)) {
    return new ApiError('VALIDATION_ERROR', 'The request was not received in full')
  }
  if (isStoreUnavailable(error)) return new ApiError('SERVICE_UNAVAILABLE')
  const status = fastifyError?.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return fromClientStatus(status, fastifyError?.message)
  }
  return new ApiError('INTERNAL_ERROR')
}

/** Log what an operator must see: WeChat failures (loudly for configuration), outages, bugs. */
export function logFailure(error: unknown, log: FastifyBaseLogger, request?: FastifyRequest): void {
  if (error instanceof ApiError) return
  if (error instanceof WechatError) {
    const errcode = error instanceof WechatApiError ? error.errcode : undefined
    const fields = { endpoint: error.endpoint, kind: error.kind, errcode }
    if (error.kind === 'config') {
      // Loud on purpose: a wrong appid/secret/IP whitelist breaks every login until someone acts.
      // The client's errors never carry the secret, and only these fields are logged.
      const hint = configHint(errcode)
      log.error(
        { wechat: hint === null ? fields : { ...fields, hint } },
        'WeChat rejected the app configuration',
      )
    } else {
      log.warn({ wechat: fields }, 'WeChat call failed')
    }
    return
  }
  const fastifyError = error as Partial<FastifyError> | null
  if (fastifyError?.validation) return
  if (isClientAbort(error, request)) {
    // Routine on mobile networks, and anyone can cause it: never an alert.
    log.info({ clientAbort: (error as { code?: unknown }).code }, 'client hung up mid-request')
    return
  }
  if (isStoreUnavailable(error)) {
    log.error({ err: error }, 'store unavailable')
    return
  }
  const status = fastifyError?.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) return
  log.error({ err: error }, 'unhandled error')
}

/** The contract body of an error. */
export function errorBody(error: ApiError): ErrorBody {
  return { statusCode: error.statusCode, code: error.code, message: error.message }
}

/** The path of a URL without its query (a query may carry a code). */
export function pathOf(url: string): string {
  const q = url.indexOf('?')
  return q === -1 ? url : url.slice(0, q)
}

/** Send `error` as the contract body. */
export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.statusCode >= 500) reply.header('cache-control', 'no-store')
  if (error instanceof RateLimitedError) reply.header('retry-after', error.retryAfterSeconds)
  return reply.status(error.statusCode).send(errorBody(error))
}

/** Install the one error handler and the one not-found handler on `app`. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    logFailure(error, request.log, request)
    return sendError(reply, toApiError(error, request))
  })
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new ApiError('NOT_FOUND', `Route ${request.method} ${pathOf(request.url)} not found`),
    ),
  )
}
