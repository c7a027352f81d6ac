/**
 * Codes WeChat already answered, in process (embedded mode): an LRU with a TTL (the code's 5
 * minutes), capped so memory stays bounded.
 */
import { LRUCache } from 'lru-cache'
import type { ExchangedToken, ExchangedTokens } from '../coordination.js'

/** Create the in-process record of exchanged codes, holding at most `maxEntries`. */
export function createMemoryExchangedTokens(
  opts: { now?: () => number; maxEntries?: number } = {},
): ExchangedTokens {
  const entries = new LRUCache<string, ExchangedToken>({
    max: opts.maxEntries ?? 10_000,
    ttlResolution: 0,
    ...(opts.now ? { perf: { now: opts.now } } : {}),
  })
  return {
    async get(codeHash) {
      return entries.get(codeHash) ?? null
    },
    async set(codeHash, exchanged, ttlMs) {
      entries.set(codeHash, exchanged, { ttl: ttlMs })
    },
    async delete(codeHash) {
      entries.delete(codeHash)
    },
  }
}
