/**
 * Spent states in process (embedded mode): an LRU with a TTL (a state's lifetime), capped so a
 * flood of logins cannot grow memory without bound. An entry evicted early only means a spent
 * state's second code gets one exchange that fails at WeChat (40029/40163): the per-browser and
 * per-IP exchange limits still hold.
 */
import { LRUCache } from 'lru-cache'
import type { UsedStates } from '../coordination.js'

/** Create the in-process record of spent states, holding at most `maxEntries`. */
export function createMemoryUsedStates(
  opts: { now?: () => number; maxEntries?: number } = {},
): UsedStates {
  const spent = new LRUCache<string, string>({
    max: opts.maxEntries ?? 100_000,
    ttlResolution: 0,
    ...(opts.now ? { perf: { now: opts.now } } : {}),
  })
  return {
    async claim(stateHash, codeHash, ttlMs) {
      const owner = spent.get(stateHash)
      if (owner !== undefined) return owner === codeHash
      spent.set(stateHash, codeHash, { ttl: ttlMs })
      return true
    },
  }
}
