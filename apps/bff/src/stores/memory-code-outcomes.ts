/**
 * In-process CodeOutcomeCache (embedded mode). Entries share one TTL, so insertion order is expiry
 * order: expired entries are dropped from the front on every write, and the size is capped so a
 * flood of bogus codes cannot grow memory without bound.
 */
import type { CodeOutcome, CodeOutcomeCache } from './types.js'

interface Entry {
  outcome: CodeOutcome
  expiresAt: number
}

/** Create an in-process outcome cache holding at most `maxEntries` outcomes. */
export function createMemoryCodeOutcomeCache(
  opts: { now?: () => number; maxEntries?: number } = {},
): CodeOutcomeCache {
  const now = opts.now ?? Date.now
  const maxEntries = opts.maxEntries ?? 50_000
  const entries = new Map<string, Entry>()

  function sweep(at: number): void {
    for (const [key, entry] of entries) {
      if (entry.expiresAt > at && entries.size <= maxEntries) break
      entries.delete(key)
    }
  }

  return {
    async get(codeHash) {
      const entry = entries.get(codeHash)
      if (!entry) return null
      if (entry.expiresAt <= now()) {
        entries.delete(codeHash)
        return null
      }
      return entry.outcome
    },
    async set(codeHash, outcome, ttlMs) {
      const at = now()
      entries.delete(codeHash)
      entries.set(codeHash, { outcome, expiresAt: at + ttlMs })
      sweep(at)
    },
  }
}
