import { describe, expect, it } from 'vitest'
import { createMemorySubscriptionCache } from '../../src/stores/memory/subscriptions.js'
import type { FollowerStatus } from '../../src/stores/coordination.js'

const APPID = 'wx5f3c1a9e2b7d4f60'
const FOLLOWER: FollowerStatus = {
  subscribed: true,
  subscribeTime: 1_677_650_915_000,
  subscribeScene: 'ADD_SCENE_SEARCH',
}
const NOT_FOLLOWING: FollowerStatus = { subscribed: false }

describe('memory subscription cache', () => {
  it('keeps a status until its TTL passes', async () => {
    let t = 1000
    const cache = createMemorySubscriptionCache({ now: () => t })
    await cache.set(APPID, 'o1', FOLLOWER, 300_000)
    t += 299_999
    expect(await cache.get(APPID, 'o1')).toEqual(FOLLOWER)
    // lru-cache counts an entry stale once its age exceeds the TTL: 1 ms past it.
    t += 2
    expect(await cache.get(APPID, 'o1')).toBeNull()
  })

  it('keys by (appid, openid)', async () => {
    const cache = createMemorySubscriptionCache({ now: () => 0 })
    await cache.set(APPID, 'o1', FOLLOWER, 1000)
    await cache.set(APPID, 'o2', NOT_FOLLOWING, 1000)
    expect(await cache.get(APPID, 'o1')).toEqual(FOLLOWER)
    expect(await cache.get(APPID, 'o2')).toEqual(NOT_FOLLOWING)
    expect(await cache.get('wx0000000000000000', 'o1')).toBeNull()
  })

  it('hands out copies: a caller changing one does not change the cache', async () => {
    const cache = createMemorySubscriptionCache({ now: () => 0 })
    const status = { ...NOT_FOLLOWING }
    await cache.set(APPID, 'o1', status, 1000)
    status.subscribed = true
    const read = await cache.get(APPID, 'o1')
    read!.subscribed = true
    expect(await cache.get(APPID, 'o1')).toEqual(NOT_FOLLOWING)
  })

  it('caps its size, dropping the oldest first', async () => {
    const cache = createMemorySubscriptionCache({ now: () => 0, maxEntries: 3 })
    for (const openid of ['a', 'b', 'c', 'd']) await cache.set(APPID, openid, FOLLOWER, 1000)
    expect(await cache.get(APPID, 'a')).toBeNull()
    expect(await cache.get(APPID, 'b')).toEqual(FOLLOWER)
    expect(await cache.get(APPID, 'd')).toEqual(FOLLOWER)
  })

  it('sweeps expired entries on write', async () => {
    let t = 0
    const cache = createMemorySubscriptionCache({ now: () => t, maxEntries: 2 })
    await cache.set(APPID, 'old', FOLLOWER, 10)
    t = 20
    await cache.set(APPID, 'new1', FOLLOWER, 10)
    await cache.set(APPID, 'new2', NOT_FOLLOWING, 10)
    expect(await cache.get(APPID, 'new1')).toEqual(FOLLOWER)
    expect(await cache.get(APPID, 'new2')).toEqual(NOT_FOLLOWING)
  })
})
