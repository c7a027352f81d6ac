/**
 * The one place errors become HTTP responses (DESIGN.md §4): every error body is
 * `{ statusCode, code, message }`. Typed errors carry their code; WeChat errors are mapped through the
 * client's `kind`; anything unexpected is a generic 500 so no internal detail reaches the browser.
 */
import type {
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify'
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '@wxauth/shared'
import { WechatApiError, WechatError, type WechatErrorKind } from '@wxauth/wechat'

/** An error the BFF means to send: a §4 code and a human message safe to show. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly statusCode: number

  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.statusCode = ERROR_STATUS[code]
  }
}

/** What the user is told for each WeChat failure kind (never WeChat's own errmsg). */
const WECHAT_KIND_ERRORS: Record<WechatErrorKind, [ErrorCode, string]> = {
  'code-invalid': [
    'CODE_INVALID',
    'The WeChat login code is invalid or has expired; please log in again',
  ],
  'code-used': ['CODE_USED', 'The WeChat login code has already been used; please log in again'],
  'token-expired': ['REAUTH_REQUIRED', 'The WeChat authorisation has expired; please log in again'],
  'refresh-expired': [
    'REAUTH_REQUIRED',
    'The WeChat authorisation has expired; please log in again',
  ],
  scope: ['SCOPE_UPGRADE_REQUIRED', 'This needs permission to read your WeChat profile'],
  config: ['WECHAT_CONFIG_ERROR', 'The WeChat login is misconfigured on the server'],
  busy: ['WECHAT_UNAVAILABLE', 'WeChat is not responding right now; please try again'],
  'rate-limit': ['WECHAT_UNAVAILABLE', 'WeChat is not responding right now; please try again'],
  unknown: ['WECHAT_UNAVAILABLE', 'WeChat is not responding right now; please try again'],
}

/** Map a WeChat client error to the §4 contract. */
export function fromWechatError(error: WechatError): AppError {
  const [code, message] = WECHAT_KIND_ERRORS[error.kind]
  return new AppError(code, message)
}

/** SQLite failures that mean "the store is not usable right now" rather than a bug. */
const STORE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|PROTOCOL)/

function isStoreUnavailable(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown }
  return e?.name === 'SqliteError' && typeof e.code === 'string' && STORE_UNAVAILABLE.test(e.code)
}

function body(code: ErrorCode, message: string): ErrorBody {
  return { statusCode: ERROR_STATUS[code], code, message }
}

/** Turn anything thrown into the error body to send (and log what deserves logging). */
export function toErrorBody(error: unknown, log: FastifyBaseLogger): ErrorBody {
  if (error instanceof AppError) return body(error.code, error.message)
  if (error instanceof WechatError) {
    const mapped = fromWechatError(error)
    const errcode = error instanceof WechatApiError ? error.errcode : undefined
    const fields = { endpoint: error.endpoint, kind: error.kind, errcode }
    if (error.kind === 'config') {
      // Loud on purpose: a wrong appid/secret/IP whitelist breaks every login until someone acts.
      // The client's errors never carry the secret, and only these fields are logged.
      log.error({ wechat: fields }, 'WeChat rejected the app configuration')
    } else {
      log.warn({ wechat: fields }, 'WeChat call failed')
    }
    return body(mapped.code, mapped.message)
  }
  const fastifyError = error as Partial<FastifyError>
  if (fastifyError.validation) {
    return body('VALIDATION_ERROR', fastifyError.message ?? 'Invalid request')
  }
  if (isStoreUnavailable(error)) {
    log.error({ err: error }, 'store unavailable')
    return body('SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; please try again')
  }
  const status = fastifyError.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, wrong content type, body too large…).
    if (status === 404) return body('NOT_FOUND', 'Not found')
    if (status === 429) return body('RATE_LIMITED', 'Too many requests; please slow down')
    return body('VALIDATION_ERROR', fastifyError.message ?? 'Invalid request')
  }
  log.error({ err: error }, 'unhandled error')
  return body('INTERNAL_ERROR', 'Internal server error')
}

/** The path of a URL without its query (a query may carry a code). */
export function pathOf(url: string): string {
  const q = url.indexOf('?')
  return q === -1 ? url : url.slice(0, q)
}

/** Install the one error handler and the one not-found handler. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const payload = toErrorBody(error, request.log)
    if (payload.statusCode >= 500) reply.header('cache-control', 'no-store')
    return reply.status(payload.statusCode).send(payload)
  })
  app.setNotFoundHandler((request, reply) => {
    const payload = body('NOT_FOUND', `Route ${request.method} ${pathOf(request.url)} not found`)
    return reply.status(404).send(payload)
  })
}
