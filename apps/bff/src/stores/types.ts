/**
 * The storage contracts (DESIGN.md §6). Callers depend on these interfaces only; `plugins/stores.ts`
 * picks the adapters from config (embedded: SQLite for users and sessions, in-process for code
 * outcomes; the scale-out work adds PostgreSQL and Redis adapters behind the same shapes).
 * Times are epoch milliseconds.
 */
import type { ErrorCode, Scope } from '@wxauth/shared'

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
  /** The web tokens, sealed with AES-256-GCM (services/token-vault.ts); null when none are kept. */
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
  delete(idHash: string): Promise<void>
  /** Housekeeping; returns how many were removed. */
  deleteExpired(now: number): Promise<number>
}

/** The demo H5 activity. */
export interface ActivityRecord {
  id: number
  title: string
  description: string
  coverUrl: string
  startsAt: number
  endsAt: number
}

export interface ParticipantRecord {
  nickname: string
  headimgurl: string
}

export interface ActivitiesStore {
  /** The activity on show (the newest one). */
  current(): Promise<ActivityRecord | null>
  participantCount(activityId: number): Promise<number>
  /** Latest joiners first: public fields only. */
  latestParticipants(activityId: number, limit: number): Promise<ParticipantRecord[]>
  hasJoined(activityId: number, userId: number): Promise<boolean>
  /** Idempotent; `created` is false when the user had already joined. */
  join(activityId: number, userId: number, now: number): Promise<{ created: boolean }>
}

/**
 * What one code exchange ended in; every request carrying that code (and the same state) gets the
 * same outcome.
 */
export type CodeOutcome = (
  | {
      ok: true
      /** The raw session id the exchange produced (or kept), to set as the cookie. */
      sessionId: string
      openid: string | null
      scope: Scope
      snapshot: boolean
    }
  | { ok: false; code: ErrorCode; message: string }
) & {
  /**
   * sha256 of the state the code came back with: a request presenting the code with another state
   * (a stolen code, with the thief's own state cookie) never joins this outcome.
   */
  stateHash: string
}

/** Outcomes of code exchanges, keyed by sha256(code), for a few minutes. */
export interface CodeOutcomeCache {
  get(codeHash: string): Promise<CodeOutcome | null>
  set(codeHash: string, outcome: CodeOutcome, ttlMs: number): Promise<void>
}

/** Everything `app.stores` holds. */
export interface Stores {
  users: UsersStore
  sessions: SessionsStore
  activities: ActivitiesStore
  codeOutcomes: CodeOutcomeCache
  /** Throws when a store cannot answer (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}
