import { describe, expect, it } from 'vitest'
import { memoryStorage } from '../test/support/fake-window.js'
import { INTENT_KEY, INTENT_TTL_MS, createIntentStore, type LoginIntent } from './intent.js'

const STATE = 'Zq3xY9bK2mP7vR1tW5sN8dF4gH6jL0aC'
const NOW = 1_800_000_000_000
const KEY = `${INTENT_KEY}:wechatAuth`
const join: LoginIntent = { action: 'join', returnPath: '/', at: NOW - 30_000 }

/** A landing: back from WeChat with a code and `state`, cancelled (state only), or a plain visit. */
const landed = (state: string) => ({ pending: { code: 'C0DE', state }, cancelled: false, state })
const cancelledWith = (state: string) => ({ pending: null, cancelled: true, state })
const plainVisit = { pending: null, cancelled: false, state: null }

/** A tab's storage where a login for `intent` left for WeChat with `state`. */
function leftFor(intent: LoginIntent, state = STATE): Storage {
  const storage = memoryStorage()
  createIntentStore(storage, 'wechatAuth', plainVisit, () => NOW).save(intent, state)
  return storage
}

describe('login intents', () => {
  it('are stored with the state of the login they were made for', () => {
    const storage = leftFor(join)
    expect(JSON.parse(storage.getItem(KEY)!)).toEqual({ ...join, state: STATE })
  })

  it('the callback of that login (code + state) gets the intent, once', () => {
    const storage = leftFor(join)
    const intents = createIntentStore(storage, 'wechatAuth', landed(STATE), () => NOW)
    expect(intents.landed()).toEqual(join)
    expect(intents.take()).toEqual(join)
    expect(intents.take()).toBeNull()
    expect(intents.landed()).toBeNull()
  })

  it('is removed from storage when the page lands, so a reload has nothing to replay', () => {
    const storage = leftFor(join)
    createIntentStore(storage, 'wechatAuth', landed(STATE), () => NOW)
    expect(storage.getItem(KEY)).toBeNull()
    const reload = createIntentStore(storage, 'wechatAuth', plainVisit, () => NOW)
    expect(reload.landed()).toBeNull()
  })

  it('another login’s state, or no callback at all, drops it', () => {
    for (const landing of [landed('AnotherLoginsState0123456789abcd'), plainVisit]) {
      const storage = leftFor(join)
      expect(createIntentStore(storage, 'wechatAuth', landing, () => NOW).landed()).toBeNull()
      expect(storage.getItem(KEY)).toBeNull()
    }
  })

  it('a cancelled consent (state only) keeps nothing to complete, but says what it was for', () => {
    const storage = leftFor(join)
    const intents = createIntentStore(storage, 'wechatAuth', cancelledWith(STATE), () => NOW)
    expect(intents.landed()).toBeNull()
    expect(intents.cancelled).toBe('join')
    expect(storage.getItem(KEY)).toBeNull()
  })

  it(`one older than ${INTENT_TTL_MS / 60_000} minutes is a new visit, not that tap`, () => {
    const old = { ...join, at: NOW - INTENT_TTL_MS }
    expect(createIntentStore(leftFor(old), 'wechatAuth', landed(STATE), () => NOW).landed()).toBe(
      null,
    )
  })

  it('each instance has its own record', () => {
    const storage = leftFor(join)
    expect(createIntentStore(storage, 'other', landed(STATE), () => NOW).landed()).toBeNull()
    expect(createIntentStore(storage, 'wechatAuth', landed(STATE), () => NOW).landed()).toEqual(
      join,
    )
  })

  it('a corrupted record, or storage that throws, is no intent and no error', () => {
    const storage = memoryStorage()
    storage.setItem(KEY, '{not json')
    expect(createIntentStore(storage, 'wechatAuth', landed(STATE)).landed()).toBeNull()
    storage.setItem(KEY, JSON.stringify({ action: 'join' }))
    expect(createIntentStore(storage, 'wechatAuth', landed(STATE)).landed()).toBeNull()
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
      removeItem: () => {},
    }
    const intents = createIntentStore(refusing, 'wechatAuth', landed(STATE))
    expect(intents.landed()).toBeNull()
    expect(() => intents.save(join, STATE)).not.toThrow()
    expect(createIntentStore(null, 'wechatAuth', landed(STATE)).landed()).toBeNull()
  })
})
