/**
 * Where the global access token and the jsapi ticket live between calls. The in-process default
 * suits one process; N instances need a shared implementation (Redis in the BFF) because a token
 * fetched by one instance must serve all of them.
 */

/** A cached value and when it stops working (epoch ms). */
export interface TokenCacheEntry {
  value: string
  expiresAt: number
}

/** Cache for the account-wide (global) access token and the jsapi ticket. In-process by default; Redis later. */
export interface TokenCache {
  /** The entry, or null when there is none or it has expired. `expiresAt`: epoch ms. */
  get(key: string): Promise<TokenCacheEntry | null>
  set(key: string, entry: TokenCacheEntry): Promise<void>
  /** Delete only if the cached value is still `value` (compare-and-delete). Returns whether it deleted. */
  deleteIfEquals(key: string, value: string): Promise<boolean>
  /** Optional cross-process lock so only one process fetches at a time (Redis implements it; memory needs none). */
  withLock?<T>(key: string, fn: () => Promise<T>): Promise<T>
}

/** An in-process TokenCache; entries vanish once `now()` reaches their `expiresAt`. */
export function createMemoryTokenCache(now: () => number = Date.now): TokenCache {
  const entries = new Map<string, TokenCacheEntry>()
  return {
    async get(key) {
      const entry = entries.get(key)
      if (!entry) return null
      if (entry.expiresAt <= now()) {
        entries.delete(key)
        return null
      }
      return { ...entry }
    },
    async set(key, entry) {
      entries.set(key, { value: entry.value, expiresAt: entry.expiresAt })
    },
    async deleteIfEquals(key, value) {
      if (entries.get(key)?.value !== value) return false
      entries.delete(key)
      return true
    },
  }
}
