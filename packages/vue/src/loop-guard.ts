/**
 * The loop guard: at most {@link MAX_AUTO_TRIPS} *automatic* trips to WeChat's authorize page per
 * {@link TRIP_WINDOW_MS}, and none when the page was reached with the back/forward buttons (the
 * WeChat webview reloads the previous page on back, which would bounce the user again). A loop also
 * costs every user of the account: WeChat answers a burst of authorize requests with 10009
 * "操作太频繁了，请稍后重试" and blocks authorisation for a while. A manual tap always goes and
 * resets the guard.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 * @see docs/wechat.md#the-authorize-page
 */

/** Automatic trips allowed per window: a first login plus one fresh login after a spent code. */
export const MAX_AUTO_TRIPS = 2
/** The window, in milliseconds. */
export const TRIP_WINDOW_MS = 60_000
/** sessionStorage key: per tab, survives the round trip to WeChat, gone when the tab closes. */
export const TRIPS_KEY = 'wxauth:auth-trips'

/** May the page leave for WeChat without a tap, and if not, why not. */
export type LoopGuardVerdict =
  { allowed: true } | { allowed: false; reason: 'too-many-trips' | 'back-forward' }

/** The guard of one `createWechatAuth()` instance. */
export interface LoopGuard {
  /** May the SPA leave for WeChat now, without a tap? */
  check(): LoopGuardVerdict
  /** Count a trip that is about to happen. */
  record(): void
  /** Forget every trip and the back/forward mark (after a manual tap). */
  reset(): void
  /** The page came back from the back/forward cache (`pageshow` with `persisted`). */
  markBackForward(): void
}

/** What the guard reads: injected, so it has no global of its own. */
export interface LoopGuardDeps {
  /** Usually `sessionStorage`; `null` (or a storage that throws) keeps the record in memory. */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null
  now?: () => number
  /** The current document's navigation type (Navigation Timing's `type`). */
  navigationType?: () => string | undefined
}

/** Create a loop guard (each `createWechatAuth()` instance has one). */
export function createLoopGuard(deps: LoopGuardDeps = {}): LoopGuard {
  const storage = deps.storage || null
  const now = deps.now || Date.now
  const navigationType = deps.navigationType || (() => undefined)
  let memory: number[] = []
  let backForward = false
  let acknowledged = false

  function read(): number[] {
    let raw: string | null
    try {
      if (!storage) return memory
      raw = storage.getItem(TRIPS_KEY)
    } catch {
      return memory // storage present but refusing: this page's own record still counts
    }
    if (raw === null) return []
    try {
      const parsed: unknown = JSON.parse(raw)
      return Array.isArray(parsed) ? parsed.filter((t): t is number => typeof t === 'number') : []
    } catch {
      return [] // a corrupted record must not block the login forever
    }
  }

  function write(trips: number[]): void {
    memory = trips
    try {
      if (!storage) return
      if (trips.length === 0) storage.removeItem(TRIPS_KEY)
      else storage.setItem(TRIPS_KEY, JSON.stringify(trips))
    } catch {
      // quota or disabled storage: the in-memory copy still guards this page
    }
  }

  function recent(): number[] {
    const at = now()
    return read().filter((t) => t <= at && at - t < TRIP_WINDOW_MS)
  }

  return {
    check() {
      if (!acknowledged && (backForward || navigationType() === 'back_forward')) {
        return { allowed: false, reason: 'back-forward' }
      }
      if (recent().length >= MAX_AUTO_TRIPS) return { allowed: false, reason: 'too-many-trips' }
      return { allowed: true }
    },
    record() {
      write([...recent(), now()])
    },
    reset() {
      write([])
      backForward = false
      acknowledged = true
    },
    markBackForward() {
      backForward = true
      acknowledged = false
    },
  }
}
