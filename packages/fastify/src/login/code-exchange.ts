/**
 * A WeChat `code` is exchanged exactly once, however many requests carry it
 * (docs/architecture.md#the-code-is-exchanged-once):
 * - single-flight: concurrent requests with the same code join one in-flight exchange in this
 *   process, and one instance at a time runs it (`coordination.codeExchange`: a pass-through in
 *   embedded mode, a Redis lock in distributed mode);
 * - outcome cache: the result (a session id, or a contract error code) is kept 5 minutes under
 *   sha256(code), the code's own lifetime, so WeChat's duplicate callback, a reload or a late
 *   parallel request reuses it instead of meeting `40163 code been used`. Transient failures
 *   (WeChat or a store unavailable) are not cached: the same code may be tried again.
 * The outcome is bound to the state the code came with: a request presenting the code with another
 * state (a stolen code) never joins it.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html (code: single use, 5 minutes)
 */
import type { FastifyBaseLogger } from 'fastify'
import type { ErrorCode } from '@wxauth/shared'
import { logFailure, toApiError } from '../errors/error-handler.js'
import type { CodeOutcome } from '../stores/coordination.js'
import { withRequestLog } from '../http/request-context.js'
import { codeLogHash, sha256Hex } from '../util/ids.js'
import { singleFlight } from '../util/single-flight.js'
import type { LoginDeps } from './deps.js'
import type { AuthContext, SessionService } from './sessions.js'
import { signIn } from './sign-in.js'
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

export interface CodeExchange {
  /**
   * Exchange `code` once, joining an exchange in flight or a cached outcome. `state` must already
   * match the caller's state cookie; an exchange made with another state fails with STATE_MISMATCH.
   */
  exchangeOnce(
    code: string,
    state: string,
    current: AuthContext | null,
    log: FastifyBaseLogger,
  ): Promise<CodeOutcome>
  /** The cached outcome of a code, if any (no exchange). */
  cachedOutcome(code: string): Promise<CodeOutcome | null>
}

/** Create the once-only code exchange. */
export function createCodeExchange(deps: LoginDeps, sessions: SessionService): CodeExchange {
  const { coordination } = deps
  const inFlight = singleFlight<CodeOutcome>()

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
    call.exchanged = true
    const codeHash = codeLogHash(code)
    let outcome: CodeOutcome
    try {
      const signedIn = await withRequestLog(log, () => signIn(deps, sessions, code, current))
      outcome = { ok: true, ...signedIn, stateHash }
      log.info({ codeHash, scope: outcome.scope }, 'code exchanged')
    } catch (error) {
      logFailure(error, log.child({ codeHash }))
      const failure = toApiError(error)
      outcome = { ok: false, code: failure.code, message: failure.message, stateHash }
    }
    deps.metrics.exchange(outcome.ok ? 'ok' : outcome.code)
    if (outcome.ok || !TRANSIENT.has(outcome.code)) {
      await coordination.codeOutcomes.set(hash, outcome, CODE_OUTCOME_TTL_MS)
    }
    return outcome
  }

  return {
    async exchangeOnce(code, state, current, log) {
      const hash = sha256Hex(code)
      const stateHash = sha256Hex(state)
      // Removed from the in-flight group only after the outcome is cached, so a later request
      // finds the cache.
      const call = { exchanged: false }
      const outcome = await inFlight.run(hash, () =>
        coordination.codeExchange.run(hash, () =>
          exchange(hash, code, stateHash, current, log, call),
        ),
      )
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
