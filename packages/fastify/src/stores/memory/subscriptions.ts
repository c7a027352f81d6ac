/**
 * Follower statuses in process (embedded mode): an LRU with the `subscription.ttl`, capped so a crowd
 * of visitors cannot grow memory without bound. Copies in and out: a caller cannot change an entry.
 */
import { LRUCache } from 'lru-cache'
import type { FollowerStatus, SubscriptionCache } from '../coordination.js'

/** Create an in-process follower-status cache holding at most `maxEntries` users. */
export function createMemorySubscriptionCache(
  opts: { now?: () => number; maxEntries?: number } = {},
): SubscriptionCache {
  const entries = new LRUCache<string, FollowerStatus>({
    max: opts.maxEntries ?? 50_000,
    ttlResolution: 0,
    ...(opts.now ? { perf: { now: opts.now } } : {}),
  })
  // appids and openids are [A-Za-z0-9_-]: a space cannot occur in either.
  const keyOf = (appid: string, openid: string) => `${appid} ${openid}`
  return {
    async get(appid, openid) {
      const status = entries.get(keyOf(appid, openid))
      return status === undefined ? null : { ...status }
    },
    async set(appid, openid, status, ttlMs) {
      entries.set(keyOf(appid, openid), { ...status }, { ttl: ttlMs })
    },
  }
}
