import { describe, expect, it } from 'vitest'
import { createMemoryCodeOutcomeCache } from '../../src/stores/memory/code-outcomes.js'
import type { CodeOutcome } from '../../src/stores/coordination.js'

const OK: CodeOutcome = {
  ok: true,
  sessionId: 's1',
  openid: 'o1',
  scope: 'snsapi_base',
  snapshot: false,
  stateHash: 'h',
}

describe('memory code-outcome cache', () => {
  it('keeps an outcome until its TTL passes', async () => {
    let t = 1000
    const cache = createMemoryCodeOutcomeCache({ now: () => t })
    await cache.set('h', OK, 300_000)
    t += 299_999
    expect(await cache.get('h')).toEqual(OK)
    // lru-cache counts an entry stale once its age exceeds the TTL: 1 ms past it.
    t += 2
    expect(await cache.get('h')).toBeNull()
  })

  it('caps its size, dropping the oldest first', async () => {
    const cache = createMemoryCodeOutcomeCache({ now: () => 0, maxEntries: 3 })
    for (const key of ['a', 'b', 'c', 'd']) await cache.set(key, OK, 1000)
    expect(await cache.get('a')).toBeNull()
    expect(await cache.get('b')).toEqual(OK)
    expect(await cache.get('d')).toEqual(OK)
  })

  it('sweeps expired entries on write', async () => {
    let t = 0
    const cache = createMemoryCodeOutcomeCache({ now: () => t, maxEntries: 2 })
    await cache.set('old', OK, 10)
    t = 20
    await cache.set('new1', OK, 10)
    await cache.set('new2', OK, 10)
    expect(await cache.get('new1')).toEqual(OK)
    expect(await cache.get('new2')).toEqual(OK)
  })
})
