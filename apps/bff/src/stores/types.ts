/**
 * The storage contracts (DESIGN.md §6). Callers depend on these interfaces only; `plugins/stores.ts`
 * picks the adapters from config: embedded (SQLite for users and sessions, everything else in
 * process) or distributed (PostgreSQL for users, Redis for sessions, code outcomes, the code-exchange
 * lock and the global token cache). Times are epoch milliseconds.
 */
import type { ErrorCode, Scope } from '@wxauth/shared'
import type { TokenCache } from '@wxauth/wechat'

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

/** What `cgi-bin/user/info` said about one user's follower status. */
export interface FollowerStatus {
  subscribed: boolean
  /** WeChat's `subscribe_time` (the last follow), epoch ms; followers only. */
  subscribeTime?: number
  /** WeChat's `subscribe_scene`, e.g. `ADD_SCENE_QR_CODE`; followers only. */
  subscribeScene?: string
}

/**
 * Follower status per (appid, openid), kept `SUBSCRIPTION_TTL` so a page view does not cost a
 * `cgi-bin/user/info` call. In process in embedded mode; a Redis adapter needs only these two calls
 * (`SET key value PX ttl` / `GET key`).
 */
export interface SubscriptionCache {
  get(appid: string, openid: string): Promise<FollowerStatus | null>
  set(appid: string, openid: string, status: FollowerStatus, ttlMs: number): Promise<void>
}

/**
 * Runs a code's exchange at most once at a time across every BFF instance sharing the coordinator.
 * The login service keeps its in-process single-flight map in front, so one instance asks once per
 * code. Embedded: a pass-through (that map is enough). Distributed: a Redis lock (`SET NX PX`) per
 * code; the holder exchanges, caches the outcome and publishes it; the others wait for it.
 */
export interface CodeExchangeCoordinator {
  /**
   * Run `exchange` (which must itself re-check the outcome cache first and cache what it produces)
   * unless another holder is running it; then return the outcome that holder produced.
   */
  run(codeHash: string, exchange: () => Promise<CodeOutcome>): Promise<CodeOutcome>
}

/** How each store answers, for `/readyz`. */
export type StoreStatus = 'ok' | 'down'

export interface StoreChecks {
  database: StoreStatus
  /** `unused` in embedded mode. */
  redis: StoreStatus | 'unused'
}

/**
 * Which adapters are in use: `embedded` (SQLite + in process), `postgres` (PostgreSQL + in process:
 * one instance), `distributed` (PostgreSQL + Redis: N instances).
 */
export type StoresMode = 'embedded' | 'postgres' | 'distributed'

/** Everything `app.stores` holds. */
export interface Stores {
  mode: StoresMode
  users: UsersStore
  sessions: SessionsStore
  activities: ActivitiesStore
  codeOutcomes: CodeOutcomeCache
  subscriptions: SubscriptionCache
  /** Cross-instance single-flight of code exchanges (services/login.ts). */
  codeExchange: CodeExchangeCoordinator
  /** The WeChat client's global-token / jsapi-ticket cache (plugins/wechat.ts passes it on). */
  tokenCache: TokenCache
  /** Throws when a store cannot answer. */
  ping(): Promise<void>
  /** Each store's status (readiness); never throws. */
  checks(): Promise<StoreChecks>
  close(): Promise<void>
}
