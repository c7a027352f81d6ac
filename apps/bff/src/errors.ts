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
import { isStoreUnavailable } from './stores/unavailable.js'

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
  config: ['WECHAT_CONFIG_ERROR', 'The WeChat app is misconfigured on the server'],
  busy: ['WECHAT_UNAVAILABLE', 'WeChat is not responding right now; please try again'],
  'rate-limit': ['WECHAT_UNAVAILABLE', 'WeChat is not responding right now; please try again'],
  unknown: ['WECHAT_UNAVAILABLE', 'WeChat is not responding right now; please try again'],
}

/**
 * Which setting an operator must fix for a configuration errcode. It names the setting, never its
 * value: the message goes into the 500 body and the error log line.
 * @see https://developers.weixin.qq.com/doc/oplatform/developers/basic_func/ip_whitelist.md (40164, 61004, 895xx)
 * @see https://developers.weixin.qq.com/doc/service/api/base/api_getaccesstoken (40013, 40125, 41002, 41004, 40243)
 * @see https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html
 */
const CONFIG_HINTS: ReadonlyArray<[readonly number[], string]> = [
  [
    [40164, 61004, 89501, 89503, 89506, 89507],
    "this server's IP is not in the account's IP whitelist (公众号后台 → 设置与开发 → 基本配置 → IP白名单); add its egress IP",
  ],
  [[40013, 41002], 'the AppID is invalid or missing; check WECHAT_APPID'],
  [
    [40125, 41004, 40243],
    'the AppSecret is invalid, missing or frozen; check WECHAT_SECRET (reset it in 公众号后台 → 基本配置 if needed)',
  ],
  [[43003], 'WeChat requires https; check WECHAT_API_BASE'],
]

/** The operator hint for a configuration errcode, or null when there is no specific one. */
export function configHint(errcode: number | undefined): string | null {
  if (errcode === undefined) return null
  return CONFIG_HINTS.find(([codes]) => codes.includes(errcode))?.[1] ?? null
}

/** Map a WeChat client error to the §4 contract. */
export function fromWechatError(error: WechatError): AppError {
  const [code, message] = WECHAT_KIND_ERRORS[error.kind]
  if (error.kind === 'config' && error instanceof WechatApiError) {
    const hint = configHint(error.errcode)
    return new AppError(
      code,
      `The WeChat app is misconfigured on the server (errcode ${error.errcode})${hint ? `: ${hint}` : ''}`,
    )
  }
  return new AppError(code, message)
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
      const hint = configHint(errcode)
      log.error(
        { wechat: hint === null ? fields : { ...fields, hint } },
        'WeChat rejected the app configuration',
      )
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
