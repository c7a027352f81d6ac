/**
 * The in-process counter store for @fastify/rate-limit (its documented `store` option), used in
 * embedded mode instead of the plugin's own LocalStore. LocalStore hands every caller the same
 * counter object and keeps mutating it, so of N concurrent checks each reads the count after the
 * last increment: a burst of 12 requests against a limit of 10 was refused 12 times instead of 2.
 * This store has the same fixed-window semantics (the window starts at a key's first hit) and hands
 * each caller a copy. Bounded: at most `cache` keys, the least recently used evicted first.
 */
import { LRUCache } from 'lru-cache'

interface Counter {
  current: number
  startedAt: number
}

type IncrCallback = (error: Error | null, result?: { current: number; ttl: number }) => void
/** The plugin passes the window as a third argument (its type declarations omit it). */
const DEFAULT_WINDOW_MS = 60_000

/** A FastifyRateLimitStore (incr + child) over an LRU. */
export class InProcessRateLimitStore {
  private readonly counters: LRUCache<string, Counter>
  private readonly maxKeys: number

  /** `options`: the plugin's merged settings; only `cache` (how many keys) is read. */
  constructor(options: object = {}) {
    this.maxKeys = (options as { cache?: number }).cache ?? 5_000
    this.counters = new LRUCache({ max: this.maxKeys })
  }

  incr(key: string, callback: IncrCallback, timeWindow: number = DEFAULT_WINDOW_MS): void {
    const now = Date.now()
    let counter = this.counters.get(key)
    if (counter === undefined || counter.startedAt + timeWindow <= now) {
      counter = { current: 0, startedAt: now }
    }
    counter.current++
    this.counters.set(key, counter)
    // A copy: the next increment must not change what this caller reads.
    callback(null, { current: counter.current, ttl: counter.startedAt + timeWindow - now })
  }

  child(options: object): InProcessRateLimitStore {
    return new InProcessRateLimitStore({
      cache: (options as { cache?: number }).cache ?? this.maxKeys,
    })
  }
}
