/**
 * Failures on demand (`POST /__mock/fail`, `DELETE /__mock/fail`), and the timers that hold
 * responses without keeping `app.close()` waiting.
 */
import { filterOf, matchesCall, type CallFilter, type CallSubject } from './call-filter.js'

/** Every WeChat endpoint the simulator serves, written without the leading slash. */
export const ENDPOINTS = [
  'connect/oauth2/authorize',
  'sns/oauth2/access_token',
  'sns/oauth2/refresh_token',
  'sns/userinfo',
  'sns/auth',
  'cgi-bin/token',
  'cgi-bin/stable_token',
  'cgi-bin/user/info',
  'cgi-bin/ticket/getticket',
] as const
export type Endpoint = (typeof ENDPOINTS)[number]

/** Is this string one of {@link ENDPOINTS}? */
export function isEndpoint(value: string): value is Endpoint {
  return (ENDPOINTS as readonly string[]).includes(value)
}

/**
 * - `errcode`: WeChat answers `{errcode, errmsg}` with HTTP 200 (a code exchange still consumes
 *   the code, as WeChat does on the first attempt).
 * - `timeout`: WeChat processes the call (a code *is* consumed, tokens *are* issued) but the answer
 *   is lost: the response is held `timeoutHoldMs`, then the connection is dropped. This is the case
 *   a client must survive without retrying the exchange.
 * - `garbage`: HTTP 200 with an HTML error page instead of JSON; nothing is processed.
 * - `http500`: HTTP 500 from a broken gateway; nothing is processed.
 */
export type FaultMode = 'errcode' | 'timeout' | 'garbage' | 'http500'

export interface FaultSpec {
  endpoint: Endpoint
  mode: FaultMode
  /** For `errcode` mode. */
  errcode?: number
  /** How many matching calls fail (default 1). */
  times: number
  /** Only calls for this app. */
  appid?: string
  /** Only calls about this user (the openid a call names, or the one its code or token is for). */
  openid?: string
}

/** One failure taken from the queue. */
export type Fault = Pick<FaultSpec, 'endpoint' | 'mode' | 'errcode'>

/** The queue of failures to inject, first in first out among those a call matches. */
export class Faults {
  private queue: FaultSpec[] = []

  add(spec: FaultSpec): void {
    this.queue.push({ ...spec })
  }

  /** The failure for this call of `endpoint` about `subject`, if one is queued. */
  take(endpoint: Endpoint, subject: CallSubject = {}): Fault | undefined {
    const index = this.queue.findIndex((f) => matchesCall(f, endpoint, subject))
    const spec = this.queue[index]
    if (!spec) return undefined
    spec.times -= 1
    if (spec.times <= 0) this.queue.splice(index, 1)
    const fault: Fault = { endpoint: spec.endpoint, mode: spec.mode }
    if (spec.errcode !== undefined) fault.errcode = spec.errcode
    return fault
  }

  /** What is still queued. */
  pending(): FaultSpec[] {
    return this.queue.map((f) => ({ ...f }))
  }

  /**
   * Drop the queued failures whose endpoint, appid and openid equal the filter's set fields (all of
   * them for an empty filter); returns how many were dropped.
   */
  clear(filter: CallFilter = {}): number {
    const wanted = filterOf(filter)
    const before = this.queue.length
    this.queue = this.queue.filter(
      (spec) =>
        !(Object.keys(wanted) as Array<keyof CallFilter>).every((key) => spec[key] === wanted[key]),
    )
    return before - this.queue.length
  }
}

/**
 * Real-time waits (latency, held timeouts) that all end at once when the app closes, so a held
 * connection never delays `app.close()` or keeps a test process alive.
 */
export class Waits {
  private pendingWaits = new Set<() => void>()

  /** Resolve after `ms` real milliseconds, or as soon as {@link cancelAll} runs. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve()
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        this.pendingWaits.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.pendingWaits.add(done)
    })
  }

  cancelAll(): void {
    for (const done of [...this.pendingWaits]) done()
  }
}
