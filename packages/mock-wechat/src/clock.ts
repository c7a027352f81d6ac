/**
 * The simulator's clock: a base clock (the real one unless a test injects its own) plus an offset
 * that `POST /__mock/clock` moves forward, so expiry tests (5-minute codes, 7200 s tokens, 30-day
 * refresh tokens) never sleep.
 */
export interface Clock {
  /** Milliseconds since the epoch, as the simulated WeChat sees it. */
  now(): number
  /** Move the simulated time forward. */
  advance(seconds: number): void
  /** How far the simulated time is ahead of the base clock, in milliseconds. */
  readonly offsetMs: number
  /** Back to the base clock (offset 0). */
  reset(): void
}

/** A clock on top of `base` (default `Date.now`). */
export function createClock(base: () => number = Date.now): Clock {
  let offsetMs = 0
  return {
    now: () => base() + offsetMs,
    advance(seconds) {
      offsetMs += Math.round(seconds * 1000)
    },
    get offsetMs() {
      return offsetMs
    },
    reset() {
      offsetMs = 0
    },
  }
}

const BEIJING_OFFSET_MS = 8 * 3600 * 1000
const DAY_MS = 24 * 3600 * 1000

/**
 * The quota day a moment belongs to. WeChat's daily quotas reset at midnight Beijing time (UTC+8).
 * @see https://developers.weixin.qq.com/doc/service/Message_Management/API_Call_Limits.html
 */
export function quotaDay(ms: number): number {
  return Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS)
}
