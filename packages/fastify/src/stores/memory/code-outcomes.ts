/**
 * Code-exchange outcomes in process (embedded mode): an LRU with a TTL (the code's 5 minutes), capped
 * so a flood of bogus codes cannot grow memory without bound.
 */
import { LRUCache } from 'lru-cache'
import type { CodeOutcome, CodeOutcomeCache } from '../coordination.js'

/** Create an in-process outcome cache holding at most `maxEntries` outcomes. */
export function createMemoryCodeOutcomeCache(
  opts: { now?: () => number; maxEntries?: number } = {},
): CodeOutcomeCache {
  const entries = new LRUCache<string, CodeOutcome>({
    max: opts.maxEntries ?? 50_000,
    ttlResolution: 0,
    ...(opts.now ? { perf: { now: opts.now } } : {}),
  })
  return {
    async get(codeHash) {
      return entries.get(codeHash) ?? null
    },
    async set(codeHash, outcome, ttlMs) {
      entries.set(codeHash, outcome, { ttl: ttlMs })
    },
  }
}
