/**
 * The SQL stores' contract, run on every engine: SQLite here (sql-stores.test.ts) and PostgreSQL in
 * the distributed suite (test/distributed/postgres-stores.test.ts). Same queries, same migrations.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SqlDatabase } from '../../src/stores/db.js'
import { migrateToLatest } from '../../src/stores/migrations/index.js'
import { DEMO_ACTIVITY } from '../../src/stores/migrations/002-seed-demo-activity.js'
import { createSqlActivitiesStore } from '../../src/stores/sql-activities.js'
import { createSqlSessionsStore } from '../../src/stores/sql-sessions.js'
import { createSqlUsersStore } from '../../src/stores/sql-users.js'
import type { NewSession, UserProfile } from '../../src/stores/types.js'

const APPID = 'wx5f3c1a9e2b7d4f60'
const PROFILE: UserProfile = {
  openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
  unionid: 'oLDegwLanAyzhdUfaBqh6Dt4MqtY',
  nickname: '🌸樱花酱🍡',
  headimgurl: 'https://thirdwx.qlogo.cn/mmopen/x/132',
  sex: 0,
  province: '',
  city: '',
  country: '',
  privilege: [],
}

/** Register the SQL store tests against a fresh database from `open()` per test. */
export function describeSqlStores(open: () => Promise<SqlDatabase>): void {
  let database: SqlDatabase
  let db: SqlDatabase['kysely']

  beforeEach(async () => {
    database = await open()
    db = database.kysely
    await migrateToLatest(db)
  })
  afterEach(async () => {
    await database.close()
  })

  describe('migrations', () => {
    it('run once, seed the demo activity once, and are idempotent', async () => {
      expect(await migrateToLatest(db)).toEqual([])
      const activity = await createSqlActivitiesStore(db).current()
      expect(activity).toMatchObject({ title: DEMO_ACTIVITY.title })
      expect(activity!.coverUrl).toMatch(/^data:image\/svg\+xml/)
      expect(activity!.startsAt).toBeLessThan(Date.now())
      expect(activity!.endsAt).toBeGreaterThan(Date.now())
    })
  })

  describe('SQL users store', () => {
    it('upserts by (appid, openid), keeps emoji, and never erases a known unionid', async () => {
      const users = createSqlUsersStore(database)
      expect(await users.findByOpenid(APPID, PROFILE.openid)).toBeNull()
      const first = await users.upsertProfile(APPID, PROFILE, 1000)
      expect(first).toMatchObject({
        appid: APPID,
        nickname: '🌸樱花酱🍡',
        unionid: PROFILE.unionid,
      })
      const second = await users.upsertProfile(
        APPID,
        { ...PROFILE, unionid: undefined, nickname: 'renamed', privilege: ['chinaunicom'] },
        2000,
      )
      expect(second).toMatchObject({
        id: first.id,
        nickname: 'renamed',
        unionid: PROFILE.unionid,
        privilege: ['chinaunicom'],
        profileUpdatedAt: 2000,
        createdAt: 1000,
      })
      const otherApp = await users.upsertProfile('wx0000000000000000', PROFILE, 3000)
      expect(otherApp.id).not.toBe(first.id)
    })

    it('finds a user by id (the distributed session lookup), and null for an unknown id', async () => {
      const users = createSqlUsersStore(database)
      const user = await users.upsertProfile(
        APPID,
        { ...PROFILE, privilege: ['chinaunicom'] },
        1234,
      )
      expect(await users.findById(user.id)).toEqual(user)
      expect(await users.findById(user.id + 1000)).toBeNull()
    })

    it('records a unionid only when none is known', async () => {
      const users = createSqlUsersStore(database)
      const user = await users.upsertProfile(APPID, { ...PROFILE, unionid: undefined }, 1)
      await users.setUnionidIfMissing(user.id, 'oFirst')
      await users.setUnionidIfMissing(user.id, 'oSecond')
      expect((await users.findByOpenid(APPID, PROFILE.openid))!.unionid).toBe('oFirst')
    })
  })

  describe('SQL sessions store', () => {
    const base: NewSession = {
      idHash: 'a'.repeat(64),
      appid: APPID,
      userId: null,
      openid: PROFILE.openid,
      unionid: null,
      scope: 'snsapi_base',
      snapshot: false,
      tokens: 'v1.sealed',
      createdAt: 1000,
      expiresAt: 10_000,
    }

    it('finds a live session with its user in one lookup, and not after expiry or for another app', async () => {
      const users = createSqlUsersStore(database)
      const sessions = createSqlSessionsStore(database)
      const user = await users.upsertProfile(APPID, PROFILE, 500)
      await sessions.create({ ...base, userId: user.id })
      const found = await sessions.findWithUser(base.idHash, APPID, 9_999)
      const { tokens, ...record } = base
      expect(found?.session).toEqual({ ...record, userId: user.id })
      expect(await sessions.getTokens(base.idHash)).toBe(tokens)
      expect(found?.user).toEqual(user)
      expect(await sessions.findWithUser(base.idHash, APPID, 10_000)).toBeNull()
      expect(await sessions.findWithUser(base.idHash, 'wx0000000000000000', 5_000)).toBeNull()
      expect(await sessions.findWithUser('b'.repeat(64), APPID, 5_000)).toBeNull()
    })

    it('returns a null user for a session without one', async () => {
      const sessions = createSqlSessionsStore(database)
      await sessions.create({ ...base, snapshot: true, openid: null, tokens: null })
      const found = await sessions.findWithUser(base.idHash, APPID, 5_000)
      const { tokens: _tokens, ...record } = base
      expect(found).toEqual({ session: { ...record, snapshot: true, openid: null }, user: null })
      expect(await sessions.getTokens(base.idHash)).toBeNull()
    })

    it('updates, deletes and sweeps', async () => {
      const sessions = createSqlSessionsStore(database)
      await sessions.create(base)
      await sessions.create({ ...base, idHash: 'c'.repeat(64), expiresAt: 2_000 })
      await sessions.update(base.idHash, { scope: 'snsapi_userinfo', tokens: 'v1.other' })
      await sessions.update(base.idHash, {})
      expect((await sessions.findWithUser(base.idHash, APPID, 1_500))!.session.scope).toBe(
        'snsapi_userinfo',
      )
      expect(await sessions.getTokens(base.idHash)).toBe('v1.other')
      expect(await sessions.deleteExpired(5_000)).toBe(1)
      await sessions.delete(base.idHash)
      expect(await sessions.findWithUser(base.idHash, APPID, 1_500)).toBeNull()
    })
  })

  describe('SQL activities store', () => {
    it('joins idempotently and lists the latest participants with public fields only', async () => {
      const users = createSqlUsersStore(database)
      const activities = createSqlActivitiesStore(db)
      const activity = (await activities.current())!
      const ids: number[] = []
      for (let i = 0; i < 25; i++) {
        const u = await users.upsertProfile(
          APPID,
          { ...PROFILE, openid: `o${i}`, nickname: `u${i}` },
          i,
        )
        ids.push(u.id)
      }
      for (const [i, id] of ids.entries()) {
        expect(await activities.join(activity.id, id, 1000 + i)).toEqual({ created: true })
      }
      expect(await activities.join(activity.id, ids[0]!, 9999)).toEqual({ created: false })
      expect(await activities.participantCount(activity.id)).toBe(25)
      expect(await activities.hasJoined(activity.id, ids[3]!)).toBe(true)
      const latest = await activities.latestParticipants(activity.id, 20)
      expect(latest).toHaveLength(20)
      expect(latest[0]).toEqual({ nickname: 'u24', headimgurl: PROFILE.headimgurl })
      expect(Object.keys(latest[0]!).sort()).toEqual(['headimgurl', 'nickname'])
    })
  })
}
