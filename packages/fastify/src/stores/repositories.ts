/**
 * The repositories (the durable records): users keyed by (appid, openid), and server-side sessions.
 * Embedded mode keeps both in SQLite; distributed mode keeps users in PostgreSQL and sessions in
 * Redis. Times are epoch milliseconds. Callers depend on these interfaces only; `stores/index.ts`
 * picks the adapters.
 */
import type { Scope } from '@wxauth/shared'

/** A stored WeChat user, keyed by (appid, openid). */
export interface UserRecord {
  id: number
  appid: string
  openid: string
  unionid: string | null
  nickname: string
  headimgurl: string
  sex: number
  province: string
  city: string
  country: string
  privilege: string[]
  /** When the profile was last pulled from `sns/userinfo` (PROFILE_TTL is measured from here). */
  profileUpdatedAt: number
  createdAt: number
}

/** The profile fields `sns/userinfo` gives. */
export interface UserProfile {
  openid: string
  unionid?: string | undefined
  nickname: string
  headimgurl: string
  sex: number
  province: string
  city: string
  country: string
  privilege: string[]
}

export interface UsersStore {
  findByOpenid(appid: string, openid: string): Promise<UserRecord | null>
  /** One user by id (the Redis sessions store joins users this way, on every request). */
  findById(id: number): Promise<UserRecord | null>
  /**
   * Insert or update by (appid, openid) with a fresh profile. A unionid already stored is kept when
   * the new profile has none (the refresh path does not return it).
   */
  upsertProfile(appid: string, profile: UserProfile, now: number): Promise<UserRecord>
  /** Record a unionid learnt from a code exchange, when the user has none yet. */
  setUnionidIfMissing(userId: number, unionid: string): Promise<void>
}

/** A server-side session. The browser only holds its id (signed cookie); the store only its sha256. */
export interface SessionRecord {
  /** sha256(session id), hex. */
  idHash: string
  appid: string
  userId: number | null
  /** null for snapshot guests: their virtual openid is never stored. */
  openid: string | null
  unionid: string | null
  scope: Scope
  snapshot: boolean
  createdAt: number
  expiresAt: number
}

/** A session to create, with its web tokens. */
export interface NewSession extends SessionRecord {
  /** The web tokens, sealed with AES-256-GCM (login/token-vault.ts); null when none are kept. */
  tokens: string | null
}

export interface SessionWithUser {
  session: SessionRecord
  user: UserRecord | null
}

export type SessionPatch = Partial<Pick<NewSession, 'userId' | 'unionid' | 'scope' | 'tokens'>>

export interface SessionsStore {
  create(record: NewSession): Promise<void>
  /**
   * The live (unexpired) session with its user, in one indexed lookup. Tokens are not read here:
   * every authenticated request makes this call, and only a few need the tokens.
   */
  findWithUser(idHash: string, appid: string, now: number): Promise<SessionWithUser | null>
  /** The sealed web tokens of a session, or null. */
  getTokens(idHash: string): Promise<string | null>
  update(idHash: string, patch: SessionPatch): Promise<void>
  /**
   * Move a session to a new id (`newIdHash`), applying `patch`, in one atomic step: the old id
   * stops working at once, everything else (creation, expiry, user) is kept. False when the session
   * no longer exists (logged out meanwhile).
   */
  rotate(idHash: string, newIdHash: string, patch: SessionPatch): Promise<boolean>
  delete(idHash: string): Promise<void>
  /** Housekeeping; returns how many were removed. */
  deleteExpired(now: number): Promise<number>
}

/** The durable records: users, and the sessions that point at them. */
export interface Repositories {
  users: UsersStore
  sessions: SessionsStore
}
