/**
 * A WeChat `code` is exchanged exactly once, however many requests carry it
 * (docs/architecture.md#the-code-is-exchanged-once):
 * - single-flight: concurrent requests with the same code join one in-flight exchange in this
 *   process, and one instance at a time runs it (`coordination.codeExchange`: a pass-through in
 *   embedded mode, a Redis lock in distributed mode);
 * - outcome cache: the result (a session id, or a contract error code) is kept 5 minutes under
 *   sha256(code), the code's own lifetime, so WeChat's duplicate callback, a reload or a late
 *   parallel request reuses it instead of meeting `40163 code been used`. Transient failures
 *   (WeChat or a store unavailable) are not cached: the same code may be tried again;
 * - exchanged tokens: once WeChat has answered the code (and so consumed it), its answer is kept
 *   until the sign-in is done, so a retry after a failure further on (sns/userinfo busy, a store
 *   down) resumes from it instead of exchanging the code a second time.
 * The outcome is bound to the state the code came with: a request presenting the code with another
 * state (a stolen code) never joins it.
 *
 * Before an exchange that would call WeChat (not a join, not a cached outcome), in this order:
 * 1. the caller's rate limits (`gate`: per browser and per IP, http/rate-limits.ts);
 * 2. the state is spent on this code (`usedStates`): one exchange per state, so a second, different
 *    code with the same state is refused (403 STATE_MISMATCH) without calling WeChat;
 * 3. a slot among `exchangeConcurrency` upstream exchanges (as many more may queue; past that 429
 *    RATE_LIMITED, not cached, so the same code may be tried again).
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html (code: single use, 5 minutes)
 */
import type { FastifyBaseLogger } from 'fastify'
import pLimit from 'p-limit'
import type { ErrorCode } from '@wxauth/shared'
import { logFailure, toApiError } from '../errors/error-handler.js'
import { RateLimitedError } from '../errors/rate-limited.js'
import type { CodeOutcome } from '../stores/coordination.js'
import { withRequestLog } from '../http/request-context.js'
import { codeLogHash, sha256Hex } from '../util/ids.js'
import { singleFlight } from '../util/single-flight.js'
import type { LoginDeps } from './deps.js'
import type { AuthContext, SessionService } from './sessions.js'
import { signIn, type Exchanged } from './sign-in.js'
import { STATE_CLOCK_SKEW_MS, STATE_TTL_MS } from './state-cookie.js'
import { stateMismatch } from './state.js'

/** A code lives 5 minutes ("5分钟未被使用自动过期"), so its outcome is worth keeping that long. */
export const CODE_OUTCOME_TTL_MS = 5 * 60_000

/** Failures that may succeed on a retry: never cached (the code may not have been consumed). */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set([
  'WECHAT_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
])

/** A spent state is remembered as long as it could still be presented. */
const USED_STATE_TTL_MS = STATE_TTL_MS + STATE_CLOCK_SKEW_MS
/** How long to wait before retrying when every upstream slot is taken. */
const BUSY_RETRY_AFTER_SECONDS = 1

export interface CodeExchange {
  /**
   * Exchange `code` once, joining an exchange in flight or a cached outcome. `state` must already
   * match the caller's state cookie; an exchange made with another state fails with STATE_MISMATCH.
   * `gate` runs only before an exchange that would call WeChat (the caller's rate limits; it throws
   * to refuse).
   */
  exchangeOnce(
    code: string,
    state: string,
    current: AuthContext | null,
    log: FastifyBaseLogger,
    gate?: () => Promise<void>,
  ): Promise<CodeOutcome>
  /** The cached outcome of a code, if any (no exchange). */
  cachedOutcome(code: string): Promise<CodeOutcome | null>
}

/** Create the once-only code exchange. */
export function createCodeExchange(deps: LoginDeps, sessions: SessionService): CodeExchange {
  const { coordination, settings } = deps
  const inFlight = singleFlight<CodeOutcome>()
  const concurrency = settings.exchangeConcurrency
  const upstream = concurrency > 0 ? pLimit(concurrency) : null
  let lastBusyWarning = 0

  /** Run `signIn` in an upstream slot, waiting behind at most `concurrency` others. */
  function inSlot<T>(run: () => Promise<T>, log: FastifyBaseLogger): Promise<T> {
    if (upstream === null) return run()
    if (upstream.activeCount + upstream.pendingCount >= concurrency * 2) {
      // Once a minute at most: a flood would otherwise flood the log too.
      if (Date.now() - lastBusyWarning > 60_000) {
        lastBusyWarning = Date.now()
        log.warn({ exchangeConcurrency: concurrency }, 'code exchanges at capacity: refusing more')
      }
      throw new RateLimitedError(BUSY_RETRY_AFTER_SECONDS)
    }
    return upstream(run)
  }

  /** A fresh `sns/oauth2/access_token` call, its answer kept until the sign-in's outcome is cached. */
  async function exchangeWithWechat(
    hash: string,
    code: string,
    stateHash: string,
    log: FastifyBaseLogger,
  ): Promise<Exchanged> {
    const startedAt = deps.now()
    const token = await deps.wechat.exchangeCode(code)
    try {
      const kept = { token, startedAt, stateHash }
      await coordination.exchangedTokens.set(hash, kept, CODE_OUTCOME_TTL_MS)
    } catch (error) {
      // Not fatal: the sign-in goes on; only a retry after a later failure would lose the code.
      log.warn({ err: error, codeHash: codeLogHash(code) }, 'could not keep the exchanged token')
    }
    return { token, startedAt }
  }

  /**
   * One real exchange, its outcome cached. Runs under the coordinator (one instance at a time).
   * `call.exchanged` tells the caller that this call, not another, asked WeChat.
   */
  async function exchange(
    hash: string,
    code: string,
    stateHash: string,
    current: AuthContext | null,
    log: FastifyBaseLogger,
    call: { exchanged: boolean },
  ): Promise<CodeOutcome> {
    // Re-read under the lock: another instance may have exchanged this code a moment ago.
    const cached = await coordination.codeOutcomes.get(hash)
    if (cached) return cached
    const codeHash = codeLogHash(code)
    // WeChat answered this code before, and the sign-in after it failed for a moment: resume from
    // that answer (asking again would get 40163). Only with the state the code came with: a stolen
    // code must not ride a kept token (refused, and nothing cached, so the owner can still retry).
    const kept = await coordination.exchangedTokens.get(hash).catch(() => null)
    if (kept !== null && kept.stateHash !== stateHash) throw stateMismatch()
    if (kept !== null) log.info({ codeHash }, 'resuming a sign-in WeChat already answered')
    let outcome: CodeOutcome
    try {
      const signedIn = await inSlot(
        () =>
          // Every WeChat call of the sign-in logs with the request's id (http/request-context.ts).
          withRequestLog(log, async () => {
            call.exchanged = true
            return signIn(
              deps,
              sessions,
              kept ?? (await exchangeWithWechat(hash, code, stateHash, log)),
              current,
            )
          }),
        log,
      )
      outcome = { ok: true, ...signedIn, stateHash }
      log.info({ codeHash, scope: outcome.scope }, 'code exchanged')
    } catch (error) {
      logFailure(error, log.child({ codeHash }))
      const failure = toApiError(error)
      outcome = { ok: false, code: failure.code, message: failure.message, stateHash }
    }
    // Only a call that reached WeChat (or resumed its answer) is an exchange; a refusal at capacity is not.
    if (call.exchanged) deps.metrics.exchange(outcome.ok ? 'ok' : outcome.code)
    if (outcome.ok || !TRANSIENT.has(outcome.code)) {
      await coordination.codeOutcomes.set(hash, outcome, CODE_OUTCOME_TTL_MS)
      // Settled for good: nothing left to resume.
      coordination.exchangedTokens.delete(hash).catch(() => {})
    }
    return outcome
  }

  return {
    async exchangeOnce(code, state, current, log, gate) {
      const hash = sha256Hex(code)
      const stateHash = sha256Hex(state)
      // Removed from the in-flight group only after the outcome is cached, so a later request
      // finds the cache. Everything up to the exchange runs inside it: 30 parallel requests with
      // one code are one gate check, one state claim, one exchange.
      const call = { exchanged: false }
      const outcome = await inFlight.run(hash, async () => {
        const cached = await coordination.codeOutcomes.get(hash)
        if (cached) return cached
        await gate?.()
        if (!(await coordination.usedStates.claim(stateHash, hash, USED_STATE_TTL_MS))) {
          log.info({ codeHash: codeLogHash(code) }, 'state already spent on another code')
          deps.metrics.stateMismatch('state_spent')
          throw stateMismatch()
        }
        return coordination.codeExchange.run(hash, () =>
          exchange(hash, code, stateHash, current, log, call),
        )
      })
      if (outcome.stateHash !== stateHash) {
        deps.metrics.stateMismatch('code_bound')
        throw stateMismatch()
      }
      // Joined an exchange in flight here, found its outcome cached, or got another instance's.
      if (!call.exchanged) deps.metrics.codeReuse()
      return outcome
    },
    cachedOutcome: (code) => coordination.codeOutcomes.get(sha256Hex(code)),
  }
}
