/** What a protected route finds on the request. */
import type { Scope } from '@wxauth/shared'

/**
 * The session behind a request, enough for a business route to bind its rows to the user (a silent
 * `snsapi_base` login gives no profile, but an openid).
 */
export interface WechatSession {
  /** null for a snapshot-page (快照页) guest: their virtual openid is never kept. */
  openid: string | null
  /** When WeChat gave one (an account bound to the Open Platform). */
  unionid: string | null
  /** `users.id` of the stored user; null while none is stored (a first base login) or for a guest. */
  userId: number | null
  scope: Scope
  /** A snapshot-page guest: read-only. */
  snapshot: boolean
  expiresAt: Date
}
