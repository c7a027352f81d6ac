/**
 * Everything one simulator instance holds, shared by its route plugins. One context per
 * `buildMockWechat()` call: two simulators in one process never share state.
 */
import { indexApps, type MockApp } from './apps.js'
import { CallLog } from './calls.js'
import { createClock, type Clock } from './clock.js'
import { ConsentState } from './consent.js'
import { Faults, Waits } from './faults.js'
import { AuthorizeRateLimiter } from './rate-limit.js'
import { WechatState, TOKEN_DAILY_QUOTA } from './state.js'

export interface ContextOptions {
  apps: readonly MockApp[]
  now?: () => number
  strictOrder: boolean
  timeoutHoldMs: number
  authorizeRateLimitPerMinute: number
  expiredCodeErrcode: 40029 | 42003
  tokenDailyQuota?: number
}

export interface MockContext {
  readonly apps: ReadonlyMap<string, MockApp>
  readonly clock: Clock
  readonly state: WechatState
  readonly consent: ConsentState
  readonly faults: Faults
  readonly waits: Waits
  readonly calls: CallLog
  readonly rateLimiter: AuthorizeRateLimiter
  readonly strictOrder: boolean
  readonly timeoutHoldMs: number
  /** Added to every WeChat call (`POST /__mock/latency`). */
  latencyMs: number
  /** Back to a fresh simulator: state, counters, consent mode, failures, latency and clock. */
  reset(): void
}

/** A fresh context; throws if the apps are invalid. */
export function createContext(options: ContextOptions): MockContext {
  const apps = indexApps(options.apps)
  const clock = createClock(options.now)
  const state = new WechatState({
    expiredCodeErrcode: options.expiredCodeErrcode,
    tokenDailyQuota: options.tokenDailyQuota ?? TOKEN_DAILY_QUOTA,
  })
  const consent = new ConsentState()
  const faults = new Faults()
  const calls = new CallLog()
  const rateLimiter = new AuthorizeRateLimiter(options.authorizeRateLimitPerMinute)
  const context: MockContext = {
    apps,
    clock,
    state,
    consent,
    faults,
    waits: new Waits(),
    calls,
    rateLimiter,
    strictOrder: options.strictOrder,
    timeoutHoldMs: options.timeoutHoldMs,
    latencyMs: 0,
    reset() {
      state.reset()
      consent.reset()
      faults.clear()
      calls.clear()
      rateLimiter.reset()
      clock.reset()
      context.latencyMs = 0
    },
  }
  return context
}
