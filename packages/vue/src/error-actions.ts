/**
 * What the page does about each failure of a call to the auth API's server (the error contract in
 * docs/architecture.md#errors). One table, so no error code can leave the user stuck and none is
 * handled twice.
 */
import type { ErrorCode } from '@wxauth/shared'

/** A failed call: the HTTP status and contract code when there was a response. */
export type ApiFailure =
  { kind: 'network' } | { kind: 'http'; status: number; code: ErrorCode | null }

/** Why the "unavailable" screen is shown; it picks the wording. */
export type UnavailableReason = 'wechat' | 'network' | 'server' | 'busy'

/** What to do about a failure. */
export type AuthAction =
  /** No session: start an automatic login. */
  | { type: 'login' }
  /** The pending code is unusable: drop it and start a fresh automatic login. */
  | { type: 'fresh-login' }
  | { type: 'unavailable'; reason: UnavailableReason }
  /** A snapshot-page (快照页) guest tried to write: read-only from now on. */
  | { type: 'snapshot' }
  /** A `snsapi_base` session needs `snsapi_userinfo`: ask, on a tap. */
  | { type: 'upgrade' }
  /** Not an auth matter (validation, not found): the caller shows it in place. */
  | { type: 'none' }

const BY_CODE: Record<ErrorCode, AuthAction> = {
  AUTH_REQUIRED: { type: 'login' },
  // 40029/42003/41008 and 40163: the code is spent or bad; only a new one helps.
  // @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsaccesstoken
  CODE_INVALID: { type: 'fresh-login' },
  CODE_USED: { type: 'fresh-login' },
  // The state cookie is missing or differs (webview lost it, or a stale tab): start over.
  STATE_MISMATCH: { type: 'fresh-login' },
  // The refresh_token is dead (40030/42002/42007): only a new authorisation helps.
  REAUTH_REQUIRED: { type: 'fresh-login' },
  SCOPE_UPGRADE_REQUIRED: { type: 'upgrade' },
  SNAPSHOT_USER: { type: 'snapshot' },
  WECHAT_UNAVAILABLE: { type: 'unavailable', reason: 'wechat' },
  RATE_LIMITED: { type: 'unavailable', reason: 'busy' },
  SERVICE_UNAVAILABLE: { type: 'unavailable', reason: 'server' },
  WECHAT_CONFIG_ERROR: { type: 'unavailable', reason: 'server' },
  INTERNAL_ERROR: { type: 'unavailable', reason: 'server' },
  VALIDATION_ERROR: { type: 'none' },
  NOT_FOUND: { type: 'none' },
  UNSUPPORTED_MEDIA_TYPE: { type: 'none' },
}

/**
 * The contract code of an error body, or `null`. Checked against this table, which names every code
 * (the compiler sees to that): the browser carries no second list of them.
 */
export function contractCodeOf(body: unknown): ErrorCode | null {
  const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : null
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(BY_CODE, code)
    ? (code as ErrorCode)
    : null
}

/** The action for a failure. A 5xx without a contract body (a proxy's 502) counts as "server". */
export function actionForFailure(failure: ApiFailure): AuthAction {
  if (failure.kind === 'network') return { type: 'unavailable', reason: 'network' }
  if (failure.code !== null) return BY_CODE[failure.code]
  if (failure.status >= 500) return { type: 'unavailable', reason: 'server' }
  if (failure.status === 401) return { type: 'login' }
  return { type: 'none' }
}
