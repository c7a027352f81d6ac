/**
 * Server-side sessions: created after an exchange, looked up by the hash of the id in the cookie.
 * The browser holds the raw id (signed cookie); the store holds only its sha256, and the web tokens
 * sealed (token-vault.ts).
 */
import type { Scope } from '@wxauth/shared'
import type { SessionPatch, SessionRecord, SessionWithUser } from '../stores/repositories.js'
import { newSessionId, sha256Hex, type SessionKey } from '../util/ids.js'
import type { LoginDeps } from './deps.js'
import type { WebTokens } from './token-vault.js'

/** The signed-in state of a request: the raw session id (from the cookie), the session, the user. */
export interface AuthContext extends SessionWithUser {
  sessionId: string
}

/** A session to create. */
export interface NewSessionFields {
  userId: number | null
  openid: string | null
  unionid: string | null
  scope: Scope
  snapshot: boolean
  tokens: WebTokens | null
  ttlMs: number
}

export interface SessionService {
  /** The live session for a session key, or null. */
  load(key: SessionKey): Promise<AuthContext | null>
  /** Create a session; returns its raw id (for the cookie). */
  create(fields: NewSessionFields): Promise<string>
  /** Seal fresh web tokens into a session. */
  sealTokens(session: SessionRecord, tokens: WebTokens): Promise<void>
  /**
   * Give a session a new id (a privilege change: base → userinfo), with `fields` and `tokens` (sealed
   * to the new id); the old id stops working. Returns the new raw id, or null when the session is
   * gone (logged out meanwhile).
   */
  rotate(
    session: SessionRecord,
    fields: Pick<SessionPatch, 'scope' | 'userId' | 'unionid'>,
    tokens: WebTokens,
  ): Promise<string | null>
}

/** Create the session service. */
export function createSessionService(deps: LoginDeps): SessionService {
  const { repositories, vault, now, settings } = deps
  const appid = settings.appId
  return {
    async load(key) {
      const found = await repositories.sessions.findWithUser(key.idHash, appid, now())
      return found === null ? null : { sessionId: key.id, session: found.session, user: found.user }
    },
    async create(fields) {
      const sessionId = newSessionId()
      const idHash = sha256Hex(sessionId)
      const createdAt = now()
      await repositories.sessions.create({
        idHash,
        appid,
        userId: fields.userId,
        openid: fields.openid,
        unionid: fields.unionid,
        scope: fields.scope,
        snapshot: fields.snapshot,
        tokens: fields.tokens ? vault.seal(fields.tokens, idHash) : null,
        createdAt,
        expiresAt: createdAt + fields.ttlMs,
      })
      return sessionId
    },
    async rotate(session, fields, tokens) {
      const sessionId = newSessionId()
      const idHash = sha256Hex(sessionId)
      const moved = await repositories.sessions.rotate(session.idHash, idHash, {
        ...fields,
        // Sealed with the new id hash as associated data: the old blob would not open any more.
        tokens: vault.seal(tokens, idHash),
      })
      return moved ? sessionId : null
    },
    async sealTokens(session, tokens) {
      await repositories.sessions.update(session.idHash, {
        tokens: vault.seal(tokens, session.idHash),
      })
    },
  }
}
