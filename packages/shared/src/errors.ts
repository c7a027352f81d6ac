/**
 * The BFF's error contract (docs/architecture.md#errors): every error body is
 * `{ statusCode, code, message }`, and `code` is one of these. Schema-free: the TypeBox schema of the
 * body is `ErrorBodySchema` in `@wxauth/shared/schemas`.
 */

/** Error code → HTTP status. The SPA maps each code to a screen or an action. */
export const ERROR_STATUS = {
  /** No session and no code: start a login. */
  AUTH_REQUIRED: 401,
  /** The refresh_token is dead (40030/42002/42007): a new authorisation is needed. */
  REAUTH_REQUIRED: 401,
  /** WeChat rejected the code (40029/42003/41008). */
  CODE_INVALID: 401,
  /** 40163 and no cached outcome for that code. */
  CODE_USED: 401,
  /** The `state` does not match the signed state cookie, or the cookie is missing. */
  STATE_MISMATCH: 403,
  /** The session's scope is `snsapi_base`; this needs `snsapi_userinfo`. */
  SCOPE_UPGRADE_REQUIRED: 403,
  /** Snapshot-page (快照页) visitors may read, never write. */
  SNAPSHOT_USER: 403,
  VALIDATION_ERROR: 400,
  NOT_FOUND: 404,
  /** A body sent without `Content-Type: application/json`. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  /** WeChat timed out, answered -1/5xx or garbage. Nothing was written. */
  WECHAT_UNAVAILABLE: 503,
  /** A store (database, Redis) is unreachable. Nothing was written. */
  SERVICE_UNAVAILABLE: 503,
  /** 40013/40125/40164…: the appid, secret or IP whitelist is wrong. Never retried. */
  WECHAT_CONFIG_ERROR: 500,
  INTERNAL_ERROR: 500,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS
export const ERROR_CODES = Object.keys(ERROR_STATUS) as readonly ErrorCode[]

/** The one error body the BFF sends. */
export interface ErrorBody {
  statusCode: number
  code: ErrorCode
  message: string
}

/**
 * The message each code is answered with unless the server has something more precise to say: one
 * table, so the BFF, its mock and the docs say the same thing. Safe to show; the SPA shows its own
 * screens instead.
 */
export const ERROR_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  AUTH_REQUIRED: 'Please log in with WeChat',
  REAUTH_REQUIRED: 'The WeChat authorisation has expired; please log in again',
  CODE_INVALID: 'The WeChat login code is invalid or has expired; please log in again',
  CODE_USED: 'The WeChat login code has already been used; please log in again',
  STATE_MISMATCH: 'This login was started in another browser or has expired; please log in again',
  SCOPE_UPGRADE_REQUIRED: 'This needs permission to read your WeChat profile',
  SNAPSHOT_USER: 'Snapshot-page visitors can look but not take part',
  VALIDATION_ERROR: 'Invalid request',
  NOT_FOUND: 'Not found',
  UNSUPPORTED_MEDIA_TYPE: 'Send the body as application/json',
  RATE_LIMITED: 'Too many requests; please slow down',
  WECHAT_UNAVAILABLE: 'WeChat is not responding right now; please try again',
  SERVICE_UNAVAILABLE: 'The service is temporarily unavailable; please try again',
  WECHAT_CONFIG_ERROR: 'The WeChat app is misconfigured on the server',
  INTERNAL_ERROR: 'Internal server error',
}

/**
 * One of the contract's codes. An own key, not `in`: `'constructor' in ERROR_STATUS` is true, and a
 * body (or a stored outcome) saying `"code": "constructor"` must not pass for one.
 */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value)
}

/** Narrow an unknown JSON body to the error contract. */
export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.statusCode === 'number' && isErrorCode(v.code) && typeof v.message === 'string'
}
