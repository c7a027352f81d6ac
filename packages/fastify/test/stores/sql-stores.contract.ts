/**
 * The SQL stores' contract, run on every engine: SQLite here (sql-stores.test.ts) and PostgreSQL in
 * the distributed suite (test/distributed/postgres-stores.test.ts). Same queries, same migrations.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SqlDatabase } from '../../src/stores/sql/database.js'
import {
  MIGRATION_TABLES,
  WXAUTH_MIGRATIONS,
  migrateToLatest,
} from '../../src/stores/sql/migrations/index.js'
import { createSqlSessionsStore } from '../../src/stores/sql/sessions.js'
import { createSqlUsersStore } from '../../src/stores/sql/users.js'
import type { NewSession, UserProfile } from '../../src/stores/repositories.js'
import { ORDERS_MIGRATIONS } from '../fixture/orders-app.js'

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
    await migrateToLatest(db, WXAUTH_MIGRATIONS, MIGRATION_TABLES.wxauth)
  })
  afterEach(async () => {
    await database.close()
  })

  describe('migrations', () => {
    it('run once and are idempotent', async () => {
      expect(await migrateToLatest(db, WXAUTH_MIGRATIONS, MIGRATION_TABLES.wxauth)).toEqual([])
      const tables = await db.introspection.getTables()
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['users', 'sessions']))
    })

    it("run an app's migrations after ours, in their own bookkeeping, referencing users.id", async () => {
      expect(await migrateToLatest(db, ORDERS_MIGRATIONS, MIGRATION_TABLES.app)).toEqual([
        '001-orders',
      ])
      expect(await migrateToLatest(db, ORDERS_MIGRATIONS, MIGRATION_TABLES.app)).toEqual([])
      const names = (await db.introspection.getTables()).map((t) => t.name)
      expect(names).toEqual(expect.arrayContaining(['orders', 'wxauth_migration', 'app_migration']))
      const user = await createSqlUsersStore(database).upsertProfile(APPID, PROFILE, 1)
      const orders = db.withTables<{
        orders: { user_id: number; openid: string; item: string; created_at: number }
      }>()
      await orders
        .insertInto('orders')
        .values({ user_id: user.id, openid: user.openid, item: 'tea', created_at: 1 })
        .execute()
      // The reference holds: a user with orders cannot vanish underneath them.
      await expect(db.deleteFrom('users').where('id', '=', user.id).execute()).rejects.toThrow()
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

    it('rotates a session to a new id with its patch, keeping the rest; the old id is gone', async () => {
      const users = createSqlUsersStore(database)
      const sessions = createSqlSessionsStore(database)
      const user = await users.upsertProfile(APPID, PROFILE, 500)
      await sessions.create(base)
      const next = 'd'.repeat(64)
      const patch = { scope: 'snsapi_userinfo', userId: user.id, tokens: 'v1.moved' } as const
      expect(await sessions.rotate(base.idHash, next, patch)).toBe(true)
      expect(await sessions.findWithUser(base.idHash, APPID, 1_500)).toBeNull()
      const found = await sessions.findWithUser(next, APPID, 1_500)
      expect(found?.session).toMatchObject({
        idHash: next,
        scope: 'snsapi_userinfo',
        userId: user.id,
        createdAt: base.createdAt,
        expiresAt: base.expiresAt,
      })
      expect(found?.user?.id).toBe(user.id)
      expect(await sessions.getTokens(next)).toBe('v1.moved')
      // A session that is gone (logged out meanwhile) is not brought back.
      expect(await sessions.rotate(base.idHash, 'e'.repeat(64), patch)).toBe(false)
      expect(await sessions.findWithUser('e'.repeat(64), APPID, 1_500)).toBeNull()
    })
  })
}
