/**
 * Coordination between requests and between instances: what one code exchange ended in (kept 5
 * minutes), who may run an exchange right now, and short-lived caches (follower status; the WeChat
 * client's global token is the `TokenCache` of @wxauth/wechat). In process in embedded mode, in
 * Redis in distributed mode. Times are epoch milliseconds.
 */
import type { ErrorCode, Scope } from '@wxauth/shared'
import type { TokenCache, WebToken } from '@wxauth/wechat'

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
 * Follower status per (appid, openid), kept `subscription.ttl` so a page view does not cost a
 * `cgi-bin/user/info` call.
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

/**
 * One exchange per state (login/code-exchange.ts): each state, once it started an exchange, is
 * spent on that code (sha256 of the state → sha256 of the code) for as long as a state lives. The
 * same code again (WeChat's duplicate callback, parallel requests, a reload) still joins its
 * outcome; another code with a spent state is refused before WeChat is called.
 */
export interface UsedStates {
  /** Spend `stateHash` on `codeHash`: true when it was unspent, or already spent on this code. */
  claim(stateHash: string, codeHash: string, ttlMs: number): Promise<boolean>
}

/** WeChat's answer to a code, kept until the sign-in it started is done. */
export interface ExchangedToken {
  token: WebToken
  /** When the exchange started (the refresh token's 30 days count from here), epoch ms. */
  startedAt: number
  /** sha256 of the state the code came with: only a request with that state may resume. */
  stateHash: string
}

/**
 * Codes WeChat already answered, by sha256(code), for as long as a code lives (5 minutes), while the
 * sign-in they started has not finished. WeChat consumes a code on its first exchange, so when what
 * follows fails for a moment (sns/userinfo busy, a store down), the retry resumes from the token
 * instead of exchanging the code again (which WeChat would refuse with 40163). Deleted once the
 * sign-in's outcome is cached. Holds web tokens: sealed in Redis, bound to the code hash.
 */
export interface ExchangedTokens {
  get(codeHash: string): Promise<ExchangedToken | null>
  set(codeHash: string, exchanged: ExchangedToken, ttlMs: number): Promise<void>
  delete(codeHash: string): Promise<void>
}

/** What requests and instances share to coordinate: in process (embedded) or in Redis (distributed). */
export interface Coordination {
  codeOutcomes: CodeOutcomeCache
  /** The states already spent on an exchange. */
  usedStates: UsedStates
  /** WeChat's answers to codes whose sign-in has not finished yet. */
  exchangedTokens: ExchangedTokens
  /** Cross-instance single-flight of code exchanges (login/code-exchange.ts). */
  codeExchange: CodeExchangeCoordinator
  subscriptions: SubscriptionCache
  /** The WeChat client's global-token / jsapi-ticket cache. */
  tokenCache: TokenCache
}
