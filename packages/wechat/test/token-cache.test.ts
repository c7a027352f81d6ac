import { describe, expect, it } from 'vitest'
import { createMemoryTokenCache } from '../src/index.js'
import { manualClock } from './helpers/fake-wechat.js'

describe('createMemoryTokenCache', () => {
  it('returns what was set until it expires, then null', async () => {
    const clock = manualClock()
    const cache = createMemoryTokenCache(clock.now)
    await cache.set('k', { value: 'v1', expiresAt: clock.t + 1_000 })
    expect(await cache.get('k')).toEqual({ value: 'v1', expiresAt: clock.t + 1_000 })
    clock.t += 999
    expect(await cache.get('k')).not.toBeNull()
    clock.t += 1
    expect(await cache.get('k')).toBeNull()
  })

  it('returns null for a key never set', async () => {
    expect(await createMemoryTokenCache().get('nothing')).toBeNull()
  })

  it('deletes only when the value still matches (compare-and-delete)', async () => {
    const cache = createMemoryTokenCache()
    const expiresAt = Date.now() + 60_000
    await cache.set('k', { value: 'new', expiresAt })
    expect(await cache.deleteIfEquals('k', 'old')).toBe(false)
    expect(await cache.get('k')).toMatchObject({ value: 'new' })
    expect(await cache.deleteIfEquals('k', 'new')).toBe(true)
    expect(await cache.get('k')).toBeNull()
    expect(await cache.deleteIfEquals('k', 'new')).toBe(false)
  })

  it('hands out copies, so a caller cannot change the cached entry', async () => {
    const cache = createMemoryTokenCache()
    await cache.set('k', { value: 'v', expiresAt: Date.now() + 60_000 })
    const entry = await cache.get('k')
    if (entry) entry.value = 'tampered'
    expect(await cache.get('k')).toMatchObject({ value: 'v' })
  })

  it('needs no lock in one process', () => {
    expect(createMemoryTokenCache().withLock).toBeUndefined()
  })
})
