import { beforeEach, describe, expect, it } from 'vitest'
import { MAX_AUTO_TRIPS, TRIPS_KEY, TRIP_WINDOW_MS, createLoopGuard } from './loop-guard.js'

function memoryStorage(): Storage {
  const data = new Map<string, string>()
  return {
    get length() {
      return data.size
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, String(v)),
  }
}

describe('loop guard', () => {
  let storage: Storage
  let clock: number
  let navType: string | undefined
  const guard = () => createLoopGuard({ storage, now: () => clock, navigationType: () => navType })

  beforeEach(() => {
    storage = memoryStorage()
    clock = 1_700_000_000_000
    navType = 'navigate'
  })

  it('allows two automatic trips per minute and stops the third', () => {
    const g = guard()
    expect(MAX_AUTO_TRIPS).toBe(2)
    expect(g.check()).toEqual({ allowed: true })
    g.record()
    clock += 1_000
    expect(g.check()).toEqual({ allowed: true })
    g.record()
    clock += 1_000
    expect(g.check()).toEqual({ allowed: false, reason: 'too-many-trips' })
  })

  it('keeps the count across page loads in sessionStorage (the trip to WeChat reloads the page)', () => {
    guard().record()
    guard().record()
    expect(JSON.parse(storage.getItem(TRIPS_KEY) ?? '[]')).toHaveLength(2)
    expect(guard().check()).toEqual({ allowed: false, reason: 'too-many-trips' })
  })

  it('allows trips again once the oldest is a minute old', () => {
    const g = guard()
    g.record()
    clock += 10_000
    g.record()
    clock += TRIP_WINDOW_MS - 10_000
    expect(g.check()).toEqual({ allowed: true })
  })

  it('refuses any automatic trip on a page reached with back/forward', () => {
    navType = 'back_forward'
    expect(guard().check()).toEqual({ allowed: false, reason: 'back-forward' })
  })

  it('refuses after a restore from the back/forward cache (pageshow persisted)', () => {
    const g = guard()
    g.markBackForward()
    expect(g.check()).toEqual({ allowed: false, reason: 'back-forward' })
  })

  it('reset (a manual tap) clears the count and the back/forward block', () => {
    navType = 'back_forward'
    const g = guard()
    g.record()
    g.record()
    g.reset()
    expect(storage.getItem(TRIPS_KEY)).toBeNull()
    expect(g.check()).toEqual({ allowed: true })
  })

  it('ignores a corrupted record instead of blocking the login forever', () => {
    storage.setItem(TRIPS_KEY, '{not json')
    expect(guard().check()).toEqual({ allowed: true })
    storage.setItem(TRIPS_KEY, '"x"')
    expect(guard().check()).toEqual({ allowed: true })
  })

  it('ignores trips stamped in the future (a clock moved back)', () => {
    storage.setItem(TRIPS_KEY, JSON.stringify([clock + 5_000, clock + 6_000]))
    expect(guard().check()).toEqual({ allowed: true })
  })

  it('still guards the page when storage is unavailable or throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
      removeItem: () => {
        throw new Error('SecurityError')
      },
    }
    for (const s of [null, throwing]) {
      const g = createLoopGuard({ storage: s, now: () => clock, navigationType: () => navType })
      g.record()
      g.record()
      expect(g.check()).toEqual({ allowed: false, reason: 'too-many-trips' })
    }
  })
})
