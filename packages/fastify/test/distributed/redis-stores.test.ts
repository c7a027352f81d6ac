/**
 * The Redis adapters one by one, against a real redis-server: sessions, the token cache and its
 * lock, sealed code outcomes, the code-exchange coordinator across two connections (two
 * "instances"), follower statuses, and failures turned into StoreUnavailableError.
 */
import pino from 'pino'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { CodeOutcome } from '../../src/stores/coordination.js'
import type { NewSession, UserRecord, UsersStore } from '../../src/stores/repositories.js'
import {
  connectRedis,
  reconnectDelay,
  type RedisConnection,
} from '../../src/stores/redis/connection.js'
import { createRedisCodeExchangeCoordinator } from '../../src/stores/redis/code-exchange.js'
import { createRedisCodeOutcomeCache } from '../../src/stores/redis/code-outcomes.js'
import { createRedisLock } from '../../src/stores/redis/lock.js'
import { createRedisSessionsStore } from '../../src/stores/redis/sessions.js'
import { createRedisSubscriptionCache } from '../../src/stores/redis/subscriptions.js'
import { createRedisTokenCache } from '../../src/stores/redis/token-cache.js'
import { USER_CACHE_TTL_MS, withRedisUserCache } from '../../src/stores/redis/users-cache.js'
import { createSealer } from '../../src/util/sealer.js'
import { StoreUnavailableError } from '../../src/stores/unavailable.js'
import { startRedis, type RunningService } from '../../../../scripts/test-services.js'
import { COOKIE_SECRET } from '../helper.js'
import { freshPrefix, requireServices } from './cluster.js'

const APPID = 'wx5f3c1a9e2b7d4f60'
const log = pino({ level: 'silent' })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const enabled = requireServices(['redis'])

describe.skipIf(!enabled)('Redis adapters', () => {
  let redis: RunningService
  /** Two connections with one prefix: two instances of the BFF. */
  let one: RedisConnection
  let two: RedisConnection

  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await one?.close()
    await two?.close()
    await redis?.remove()
  })
  beforeEach(async () => {
    await one?.close()
    await two?.close()
    const keyPrefix = freshPrefix()
    one = await connectRedis(redis.url, { log, keyPrefix })
    two = await connectRedis(redis.url, { log, keyPrefix })
  })

  describe('connection', () => {
    it('reconnects forever with a capped backoff', () => {
      expect([0, 1, 2, 3, 6, 50, 10_000].map(reconnectDelay)).toEqual([
        50, 100, 200, 400, 2000, 2000, 2000,
      ])
    })

    it('turns every command failure into StoreUnavailableError', async () => {
      await one.close()
      await expect(one.ping()).rejects.toBeInstanceOf(StoreUnavailableError)
      await expect(one.call('get', (c) => c.get('x'))).rejects.toThrow('Redis get failed')
    })
  })

  describe('sessions', () => {
    const user: UserRecord = {
      id: 7,
      appid: APPID,
      openid: 'oUser',
      unionid: null,
      nickname: '陈小雨',
      headimgurl: '',
      sex: 0,
      province: '',
      city: '',
      country: '',
      privilege: [],
      profileUpdatedAt: 1,
      createdAt: 1,
    }
    /** The SQL store's stand-in, counting the reads that reach it. */
    let sqlReads = 0
    let stored = user
    const sql: UsersStore = {
      findByOpenid: async () => null,
      findById: async (id) => {
        sqlReads++
        return id === stored.id ? stored : null
      },
      upsertProfile: async (_appid, profile) => (stored = { ...stored, ...profile }),
      setUnionidIfMissing: async (_id, unionid) => {
        stored = { ...stored, unionid: stored.unionid ?? unionid }
      },
    }
    const users = (connection: RedisConnection) => withRedisUserCache(sql, connection)
    beforeEach(() => {
      stored = user
      sqlReads = 0
    })
    const t0 = 1_700_000_000_000
    const base: NewSession = {
      idHash: 'a'.repeat(64),
      appid: APPID,
      userId: 7,
      openid: 'oUser',
      unionid: null,
      scope: 'snsapi_userinfo',
      snapshot: false,
      tokens: 'v1.sealed',
      createdAt: t0,
      expiresAt: t0 + 60_000,
    }

    it('stores one hash per session that Redis expires at the session end, joined to its user', async () => {
      const sessions = createRedisSessionsStore(one, users(one), { now: () => t0 })
      await sessions.create(base)
      const ttl = await one.client.pttl(one.key('sess', base.idHash))
      expect(ttl).toBeGreaterThan(59_000)
      expect(ttl).toBeLessThanOrEqual(60_000)
      const other = createRedisSessionsStore(two, users(two))
      const { tokens, ...record } = base
      expect(await other.findWithUser(base.idHash, APPID, t0 + 1)).toEqual({
        session: record,
        user,
      })
      expect(await other.getTokens(base.idHash)).toBe(tokens)
      expect(await other.findWithUser(base.idHash, APPID, t0 + 60_000)).toBeNull()
      expect(await other.findWithUser(base.idHash, 'wx0000000000000000', t0)).toBeNull()
      expect(await other.findWithUser('b'.repeat(64), APPID, t0)).toBeNull()
    })

    it('keeps nulls null, and a snapshot session has no user', async () => {
      const sessions = createRedisSessionsStore(one, users(one), { now: () => t0 })
      await sessions.create({ ...base, userId: null, openid: null, snapshot: true, tokens: null })
      expect(await sessions.findWithUser(base.idHash, APPID, t0)).toEqual({
        session: { ...base, tokens: undefined, userId: null, openid: null, snapshot: true },
        user: null,
      })
      expect(await sessions.getTokens(base.idHash)).toBeNull()
    })

    it('patches fields (null deletes them) and never brings a deleted session back', async () => {
      const sessions = createRedisSessionsStore(one, users(one), { now: () => t0 })
      await sessions.create(base)
      await sessions.update(base.idHash, { scope: 'snsapi_base', unionid: 'oU', tokens: 'v1.new' })
      await sessions.update(base.idHash, { userId: null })
      await sessions.update(base.idHash, {})
      const found = await sessions.findWithUser(base.idHash, APPID, t0)
      expect(found?.session).toMatchObject({ scope: 'snsapi_base', unionid: 'oU', userId: null })
      expect(found?.user).toBeNull()
      expect(await sessions.getTokens(base.idHash)).toBe('v1.new')
      // The expiry is untouched by a patch.
      expect(await one.client.pttl(one.key('sess', base.idHash))).toBeGreaterThan(59_000)

      await createRedisSessionsStore(two, users(two)).delete(base.idHash)
      await sessions.update(base.idHash, { tokens: 'v1.late-refresh' })
      expect(await one.client.exists(one.key('sess', base.idHash))).toBe(0)
      expect(await sessions.findWithUser(base.idHash, APPID, t0)).toBeNull()
      expect(await sessions.deleteExpired(t0)).toBe(0)
    })

    it('rotates a session to a new key with its patch, keeping its expiry; never revives a deleted one', async () => {
      const sessions = createRedisSessionsStore(one, users(one), { now: () => t0 })
      await sessions.create({ ...base, scope: 'snsapi_base' })
      const next = 'd'.repeat(64)
      expect(
        await sessions.rotate(base.idHash, next, { scope: 'snsapi_userinfo', tokens: 'v1.moved' }),
      ).toBe(true)
      expect(await one.client.exists(one.key('sess', base.idHash))).toBe(0)
      const found = await createRedisSessionsStore(two, users(two)).findWithUser(next, APPID, t0)
      expect(found?.session).toMatchObject({ scope: 'snsapi_userinfo', expiresAt: base.expiresAt })
      expect(await sessions.getTokens(next)).toBe('v1.moved')
      expect(await one.client.pttl(one.key('sess', next))).toBeGreaterThan(59_000)
      expect(await sessions.rotate(base.idHash, 'e'.repeat(64), { scope: 'snsapi_userinfo' })).toBe(
        false,
      )
      expect(await one.client.exists(one.key('sess', 'e'.repeat(64)))).toBe(0)
    })

    it('joins the user from a Redis copy: one SQL read, then none until a write through the store', async () => {
      const sessions = createRedisSessionsStore(one, users(one), { now: () => t0 })
      const other = createRedisSessionsStore(two, users(two))
      await sessions.create(base)
      expect((await other.findWithUser(base.idHash, APPID, t0))?.user).toEqual(user)
      expect((await sessions.findWithUser(base.idHash, APPID, t0))?.user).toEqual(user)
      expect((await other.findWithUser(base.idHash, APPID, t0))?.user).toEqual(user)
      expect(sqlReads).toBe(1)
      const ttl = await one.client.pttl(one.key('user', '7'))
      expect(ttl).toBeGreaterThan(USER_CACHE_TTL_MS - 1_000)
      expect(ttl).toBeLessThanOrEqual(USER_CACHE_TTL_MS)

      // A profile refresh on one instance is what the other shows next.
      await users(one).upsertProfile(APPID, { ...user, unionid: 'oU', nickname: 'renamed' }, t0)
      expect((await other.findWithUser(base.idHash, APPID, t0))?.user).toMatchObject({
        nickname: 'renamed',
      })
      await users(two).setUnionidIfMissing(7, 'oOther')
      expect(await one.client.exists(one.key('user', '7'))).toBe(0)
      expect(sqlReads).toBe(2)
      // A damaged copy is ignored (and replaced).
      await one.client.set(one.key('user', '7'), '{"not":"a user"}')
      expect((await sessions.findWithUser(base.idHash, APPID, t0))?.user).toMatchObject({
        nickname: 'renamed',
      })
      expect(sqlReads).toBe(3)
    })

    it('does not store a session that has already expired', async () => {
      const sessions = createRedisSessionsStore(one, users(one), { now: () => t0 + 60_000 })
      await sessions.create(base)
      expect(await one.client.exists(one.key('sess', base.idHash))).toBe(0)
    })
  })

  describe('token cache', () => {
    const key = `wechat:token:${APPID}`

    it('shares entries with their expiry, and compare-and-deletes', async () => {
      let now = 1_000_000
      const a = createRedisTokenCache(one, createRedisLock(one), { now: () => now })
      const b = createRedisTokenCache(two, createRedisLock(two), { now: () => now })
      await a.set(key, { value: 'T1', expiresAt: now + 7_200_000 })
      expect(await b.get(key)).toEqual({ value: 'T1', expiresAt: now + 7_200_000 })
      expect(await one.client.pttl(one.key(key))).toBeGreaterThan(7_190_000)
      expect(await b.deleteIfEquals(key, 'T0')).toBe(false)
      expect(await a.get(key)).toMatchObject({ value: 'T1' })
      await b.set(key, { value: 'T2', expiresAt: now + 7_200_000 })
      // The instance that failed with T1 must not delete T2.
      expect(await a.deleteIfEquals(key, 'T1')).toBe(false)
      expect(await a.get(key)).toMatchObject({ value: 'T2' })
      expect(await a.deleteIfEquals(key, 'T2')).toBe(true)
      expect(await b.get(key)).toBeNull()
      // Expired by the clock, and not stored when already expired.
      await a.set(key, { value: 'T3', expiresAt: now + 1_000 })
      now += 1_000
      expect(await b.get(key)).toBeNull()
      await a.set(key, { value: 'T4', expiresAt: now - 1 })
      expect(await one.client.exists(one.key(key))).toBe(0)
    })

    it('lets one holder at a time run under withLock, across connections', async () => {
      const a = createRedisTokenCache(one, createRedisLock(one))
      const b = createRedisTokenCache(two, createRedisLock(two))
      const events: string[] = []
      const work = (name: string) => async () => {
        events.push(`${name} in`)
        await sleep(80)
        events.push(`${name} out`)
        return name
      }
      const results = await Promise.all([
        a.withLock!(`${key}:lock`, work('a')),
        b.withLock!(`${key}:lock`, work('b')),
        a.withLock!(`${key}:lock`, work('c')),
      ])
      expect(results).toEqual(['a', 'b', 'c'])
      for (let i = 0; i < events.length; i += 2) {
        expect(events[i]!.replace(' in', '')).toBe(events[i + 1]!.replace(' out', ''))
      }
      expect(await one.client.exists(one.key(`${key}:lock`))).toBe(0)
    })

    it('takes over a crashed holder’s lock once it expires, and gives up on a hung one', async () => {
      const lockKey = one.key(`${key}:lock`)
      await one.client.set(lockKey, 'crashed', 'PX', 200)
      const cache = createRedisTokenCache(two, createRedisLock(two), { lockTtlMs: 300 })
      const started = Date.now()
      expect(await cache.withLock!(`${key}:lock`, async () => 'ran')).toBe('ran')
      expect(Date.now() - started).toBeGreaterThanOrEqual(150)

      await one.client.set(lockKey, 'hung', 'PX', 60_000)
      const waiting = Date.now()
      await expect(cache.withLock!(`${key}:lock`, async () => 'ran')).rejects.toBeInstanceOf(
        StoreUnavailableError,
      )
      // lockTtlMs + 1 s.
      expect(Date.now() - waiting).toBeGreaterThanOrEqual(1_200)
      expect(await one.client.get(lockKey)).toBe('hung')
    })
  })

  describe('lock', () => {
    it('is released and extended only by its holder, and kept alive past its TTL while held', async () => {
      const lock = createRedisLock(one)
      const key = one.key('lock', 'test')
      const token = (await lock.tryAcquire(key, 150))!
      expect(token).toEqual(expect.any(String))
      expect(await createRedisLock(two).tryAcquire(key, 150)).toBeNull()
      expect(await lock.release(key, 'not-mine')).toBe(false)
      expect(await lock.extend(key, 'not-mine', 10_000)).toBe(false)
      const stop = lock.keepAlive(key, token, 150)
      await sleep(400)
      expect(await one.client.get(key)).toBe(token)
      stop()
      expect(await lock.release(key, token)).toBe(true)
      expect(await one.client.exists(key)).toBe(0)
    })
  })

  describe('code outcomes', () => {
    const sealer = createSealer(COOKIE_SECRET, 'code-outcome-encryption')
    const ok: CodeOutcome = {
      ok: true,
      sessionId: 'raw-session-id-that-must-not-be-readable',
      openid: 'oUser',
      scope: 'snsapi_userinfo',
      snapshot: false,
      stateHash: 's'.repeat(64),
    }
    const failed: CodeOutcome = {
      ok: false,
      code: 'CODE_INVALID',
      message: 'expired',
      stateHash: 's'.repeat(64),
    }

    it('keeps outcomes sealed for their TTL, readable by every instance, bound to their code', async () => {
      const a = createRedisCodeOutcomeCache(one, sealer)
      const b = createRedisCodeOutcomeCache(two, sealer)
      await a.set('h1', ok, 300_000)
      await a.set('h2', failed, 300_000)
      expect(await b.get('h1')).toEqual(ok)
      expect(await b.get('h2')).toEqual(failed)
      expect(await b.get('h3')).toBeNull()
      const raw = (await one.client.get(a.keyOf('h1')))!
      expect(raw).not.toContain(ok.sessionId)
      expect(await one.client.pttl(a.keyOf('h1'))).toBeGreaterThan(299_000)
      // Moved under another code, or sealed with another secret: refused.
      await one.client.set(a.keyOf('h3'), raw)
      expect(await b.get('h3')).toBeNull()
      const other = createRedisCodeOutcomeCache(two, createSealer('x'.repeat(40), 'code-outcome'))
      expect(await other.get('h1')).toBeNull()
    })
  })

  describe('code-exchange coordinator', () => {
    const sealer = createSealer(COOKIE_SECRET, 'code-outcome-encryption')
    const outcome = (id: string): CodeOutcome => ({
      ok: true,
      sessionId: id,
      openid: 'oUser',
      scope: 'snsapi_base',
      snapshot: false,
      stateHash: 's'.repeat(64),
    })

    function instance(connection: RedisConnection, opts = {}) {
      const outcomes = createRedisCodeOutcomeCache(connection, sealer)
      const coordinator = createRedisCodeExchangeCoordinator(
        connection,
        createRedisLock(connection),
        outcomes,
        opts,
      )
      return { outcomes, coordinator }
    }

    it('runs one exchange for concurrent callers on two instances; the waiter gets its outcome', async () => {
      const a = instance(one)
      const b = instance(two)
      let exchanges = 0
      const exchange = (x: typeof a, id: string) => async () => {
        const cached = await x.outcomes.get('hash')
        if (cached) return cached
        exchanges++
        await sleep(150)
        const result = outcome(id)
        await x.outcomes.set('hash', result, 300_000)
        return result
      }
      const [first, second] = await Promise.all([
        a.coordinator.run('hash', exchange(a, 'from-a')),
        sleep(20).then(() => b.coordinator.run('hash', exchange(b, 'from-b'))),
      ])
      expect(exchanges).toBe(1)
      expect(first).toEqual(outcome('from-a'))
      expect(second).toEqual(first)
      expect(await one.client.exists(a.coordinator.lockKeyOf('hash'))).toBe(0)
    })

    it('hands waiters a published outcome that was not cached (a transient failure)', async () => {
      const a = instance(one)
      const b = instance(two, { pollMs: 5_000 })
      const busy: CodeOutcome = {
        ok: false,
        code: 'WECHAT_UNAVAILABLE',
        message: 'busy',
        stateHash: 's'.repeat(64),
      }
      let waiterRan = false
      const holder = a.coordinator.run('transient', async () => {
        await sleep(150)
        return busy
      })
      await sleep(30)
      const started = Date.now()
      const waiter = await b.coordinator.run('transient', async () => {
        waiterRan = true
        return outcome('never')
      })
      expect(await holder).toEqual(busy)
      expect(waiter).toEqual(busy)
      expect(waiterRan).toBe(false)
      // Woken by the message, not by its 5-second poll.
      expect(Date.now() - started).toBeLessThan(1_000)
    })

    it('lets a waiter take over when the holder fails without an outcome', async () => {
      const a = instance(one)
      const b = instance(two)
      const holder = a.coordinator.run('failing', async () => {
        await sleep(100)
        throw new Error('the holder lost its database')
      })
      await sleep(20)
      const waiter = b.coordinator.run('failing', async () => outcome('from-b'))
      await expect(holder).rejects.toThrow('the holder lost its database')
      expect(await waiter).toEqual(outcome('from-b'))
    })

    it('waits a bounded time for a holder that never finishes', async () => {
      const { coordinator } = instance(two, { lockTtlMs: 60_000, waitMs: 300 })
      await one.client.set(coordinator.lockKeyOf('stuck'), 'alive', 'PX', 60_000)
      await expect(coordinator.run('stuck', async () => outcome('x'))).rejects.toBeInstanceOf(
        StoreUnavailableError,
      )
    })
  })

  describe('follower statuses', () => {
    it('are shared for their TTL', async () => {
      const a = createRedisSubscriptionCache(one)
      const b = createRedisSubscriptionCache(two)
      const status = { subscribed: true, subscribeTime: 1_600_000_000_000, subscribeScene: 'X' }
      await a.set(APPID, 'oFollower', status, 60_000)
      expect(await b.get(APPID, 'oFollower')).toEqual(status)
      expect(await b.get(APPID, 'oOther')).toBeNull()
      expect(await one.client.pttl(one.key('follower', APPID, 'oFollower'))).toBeGreaterThan(59_000)
    })
  })
})
