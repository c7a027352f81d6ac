/**
 * What one real code exchange leads to (docs/architecture.md#the-login-flow, steps 6–7): with
 * `sns/oauth2/access_token`'s answer (login/code-exchange.ts makes the call),
 * - `is_snapshotuser: 1` → a short snapshot-guest session; nothing persisted, userinfo never called;
 * - the same person as the caller's session → that session is refreshed in place, or upgraded
 *   (base → userinfo) under a new id;
 * - otherwise → the user (users.ts), then a new session.
 * Every WeChat call happens before the first write, so a failure leaves nothing half-written.
 * Throws on failure; code-exchange.ts turns errors into outcomes.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsaccesstoken
 */
import type { Scope } from '@wxauth/shared'
import { grantsUserinfo, type WebToken } from '@wxauth/wechat'
import type { UserRecord } from '../stores/repositories.js'
import type { LoginDeps } from './deps.js'
import type { AuthContext, SessionService } from './sessions.js'
import type { WebTokens } from './token-vault.js'
import { resolveUser } from './users.js'

/**
 * "refresh_token拥有较长的有效期（30天）": fixed from the original grant, not renewed by refreshing.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsrefreshtoken
 */
export const REFRESH_TOKEN_LIFETIME_MS = 30 * 86_400_000
/**
 * Snapshot-page (快照页) guests get a short read-only session and nothing else.
 * @see https://developers.weixin.qq.com/community/develop/doc/000c2c34068880629ced91a2f56001
 */
export const SNAPSHOT_SESSION_TTL_MS = 30 * 60_000

/** A successful sign-in: which session the code produced (or kept). */
export interface SignedIn {
  /** The raw session id, to set as the cookie. */
  sessionId: string
  openid: string | null
  scope: Scope
  snapshot: boolean
}

/** The web tokens to keep, with absolute expiries measured from when the exchange started. */
export function toTokens(token: WebToken, startedAt: number): WebTokens {
  return {
    accessToken: token.access_token,
    refreshToken: token.refresh_token,
    accessExpiresAt: token.accessExpiresAt,
    refreshExpiresAt: startedAt + REFRESH_TOKEN_LIFETIME_MS,
  }
}

/** WeChat's answer to a code (`sns/oauth2/access_token`) and when the exchange started. */
export interface Exchanged {
  token: WebToken
  startedAt: number
}

/**
 * Sign the caller in with WeChat's answer to their code (relative to their current session, if
 * any). Calls sns/userinfo when needed; every WeChat call comes before the first write.
 */
export async function signIn(
  deps: LoginDeps,
  sessions: SessionService,
  { token, startedAt }: Exchanged,
  current: AuthContext | null,
): Promise<SignedIn> {
  const { settings } = deps
  const scope: Scope = grantsUserinfo(token.scope) ? 'snsapi_userinfo' : 'snsapi_base'

  if (token.snapshot) {
    // A virtual identity: no user row, no openid, no tokens.
    const sessionId = await sessions.create({
      userId: null,
      openid: null,
      unionid: null,
      scope,
      snapshot: true,
      tokens: null,
      ttlMs: Math.min(SNAPSHOT_SESSION_TTL_MS, settings.sessionTtlMs),
    })
    deps.metrics.sessionCreated(scope, true)
    return { sessionId, openid: null, scope, snapshot: true }
  }

  const tokens = toTokens(token, startedAt)
  if (current !== null && !current.session.snapshot && current.session.openid === token.openid) {
    const { session } = current
    if (scope === 'snsapi_userinfo' && session.scope === 'snsapi_base') {
      // Same person, more permission: the session is kept (its expiry, its user) under a new id, so
      // an id that leaked while it was a base session cannot ride the upgrade (session fixation).
      const user = await resolveUser(deps, token, scope)
      const rotated = await sessions.rotate(
        session,
        {
          scope,
          userId: user?.id ?? null,
          unionid: user?.unionid ?? token.unionid ?? session.unionid,
        },
        tokens,
      )
      if (rotated !== null)
        return { sessionId: rotated, openid: token.openid, scope, snapshot: false }
      // Logged out meanwhile: fall through to a new session.
      return newSession(deps, sessions, token, scope, tokens, user)
    } else if (scope === session.scope) {
      // Same grant again: keep the session, take the fresher tokens (a new 30-day refresh window).
      await sessions.sealTokens(session, tokens)
    }
    // A lower grant (base after userinfo) leaves the richer session as it is.
    return {
      sessionId: current.sessionId,
      openid: token.openid,
      scope: scope === 'snsapi_userinfo' ? scope : session.scope,
      snapshot: false,
    }
  }

  return newSession(deps, sessions, token, scope, tokens, await resolveUser(deps, token, scope))
}

/** A new session for the user behind `token`. */
async function newSession(
  deps: LoginDeps,
  sessions: SessionService,
  token: WebToken,
  scope: Scope,
  tokens: WebTokens,
  user: UserRecord | null,
): Promise<SignedIn> {
  const sessionId = await sessions.create({
    userId: user?.id ?? null,
    openid: token.openid,
    unionid: user?.unionid ?? token.unionid ?? null,
    scope,
    snapshot: false,
    tokens,
    ttlMs: deps.settings.sessionTtlMs,
  })
  deps.metrics.sessionCreated(scope, false)
  return { sessionId, openid: token.openid, scope, snapshot: false }
}
