/**
 * In-process SubscriptionCache (embedded mode). Entries share one TTL (SUBSCRIPTION_TTL), so
 * insertion order is expiry order: expired entries are dropped from the front on every write, and
 * the size is capped so a crowd of visitors cannot grow memory without bound.
 */
import type { FollowerStatus, SubscriptionCache } from './types.js'

interface Entry {
  status: FollowerStatus
  expiresAt: number
}

/** Create an in-process follower-status cache holding at most `maxEntries` users. */
export function createMemorySubscriptionCache(
  opts: { now?: () => number; maxEntries?: number } = {},
): SubscriptionCache {
  const now = opts.now ?? Date.now
  const maxEntries = opts.maxEntries ?? 50_000
  const entries = new Map<string, Entry>()
  // appids and openids are [A-Za-z0-9_-]: a space cannot occur in either.
  const keyOf = (appid: string, openid: string) => `${appid} ${openid}`

  function sweep(at: number): void {
    for (const [key, entry] of entries) {
      if (entry.expiresAt > at && entries.size <= maxEntries) break
      entries.delete(key)
    }
  }

  return {
    async get(appid, openid) {
      const key = keyOf(appid, openid)
      const entry = entries.get(key)
      if (!entry) return null
      if (entry.expiresAt <= now()) {
        entries.delete(key)
        return null
      }
      return { ...entry.status }
    },
    async set(appid, openid, status, ttlMs) {
      const at = now()
      const key = keyOf(appid, openid)
      entries.delete(key)
      entries.set(key, { status: { ...status }, expiresAt: at + ttlMs })
      sweep(at)
    },
  }
}
