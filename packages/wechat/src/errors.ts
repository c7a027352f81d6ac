/**
 * What the client throws. Every message and field is built from the endpoint path, WeChat's errcode
 * and (redacted) errmsg, or a fixed description: never from a URL, a request body or an upstream
 * exception, so the AppSecret, a token or a code cannot ride along in `message`, `stack`, `cause` or
 * any enumerable field.
 */
import type { WechatErrorKind } from './constants.js'

export type { WechatErrorKind } from './constants.js'

/** Base class of everything the client throws. Never carries the secret or a token in any field or message. */
export class WechatError extends Error {
  /** The endpoint path, e.g. `sns/oauth2/access_token` (no host, no query). */
  readonly endpoint: string
  readonly kind: WechatErrorKind

  constructor(message: string, endpoint: string, kind: WechatErrorKind) {
    super(message)
    this.name = 'WechatError'
    this.endpoint = endpoint
    this.kind = kind
  }
}

/** WeChat answered with a non-zero errcode (HTTP 200 JSON). */
export class WechatApiError extends WechatError {
  readonly errcode: number
  /** WeChat's errmsg with any secret or token of the request blanked out. Match on errcode, not this. */
  readonly errmsg: string

  constructor(endpoint: string, errcode: number, errmsg: string, kind: WechatErrorKind) {
    super(`WeChat ${endpoint} answered errcode ${errcode} (${kind}): ${errmsg}`, endpoint, kind)
    this.name = 'WechatApiError'
    this.errcode = errcode
    this.errmsg = errmsg
  }
}

/** Why no usable answer came back. */
export type UnavailableReason = 'timeout' | 'network' | 'http-status' | 'garbage'

/**
 * No usable answer: timeout, network error, HTTP status >= 400 (or a 3xx, which is never followed),
 * non-JSON or schema-invalid body. kind = 'busy'.
 */
export class WechatUnavailableError extends WechatError {
  readonly reason: UnavailableReason
  /** The HTTP status, when one was received. */
  readonly status?: number

  constructor(endpoint: string, reason: UnavailableReason, detail: string, status?: number) {
    super(`WeChat ${endpoint} unavailable (${reason}): ${detail}`, endpoint, 'busy')
    this.name = 'WechatUnavailableError'
    this.reason = reason
    if (status !== undefined) this.status = status
  }
}

/** Is this a failure worth retrying (for an idempotent read): -1/-1000, timeout, network or HTTP 5xx? */
export function isTransient(error: unknown): boolean {
  if (error instanceof WechatUnavailableError) {
    return (
      error.reason === 'timeout' ||
      error.reason === 'network' ||
      (error.reason === 'http-status' && error.status !== undefined && error.status >= 500)
    )
  }
  return error instanceof WechatApiError && error.kind === 'busy'
}
