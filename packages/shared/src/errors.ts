/**
 * The BFF's error contract (DESIGN.md §4): every error body is
 * `{ statusCode, code, message }`, and `code` is one of these.
 */
import Type, { type Static } from 'typebox'

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
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[]

/** A plain JSON Schema string enum, typed as the `ErrorCode` union (a mapped `Type.Union` would widen). */
export const ErrorCodeSchema = Type.Unsafe<ErrorCode>({ type: 'string', enum: ERROR_CODES })

/** The one error body the BFF sends. */
export const ErrorBodySchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: ErrorCodeSchema,
    message: Type.String(),
  },
  { $id: 'ErrorBody' },
)
export type ErrorBody = Static<typeof ErrorBodySchema>

/** Narrow an unknown JSON body to the error contract. */
export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    typeof v.statusCode === 'number' &&
    typeof v.code === 'string' &&
    v.code in ERROR_STATUS &&
    typeof v.message === 'string'
  )
}
