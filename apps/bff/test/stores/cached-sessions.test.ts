import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { withSessionCache } from '../../src/stores/cached-sessions.js'
import { createDatabase, type SqlDatabase } from '../../src/stores/db.js'
import { migrateToLatest } from '../../src/stores/migrations/index.js'
import { createSqlSessionsStore } from '../../src/stores/sql-sessions.js'
import { createSqlUsersStore } from '../../src/stores/sql-users.js'
import type { SessionsStore, UsersStore } from '../../src/stores/types.js'

const APPID = 'wx5f3c1a9e2b7d4f60'
const HASH = 'a'.repeat(64)
let database: SqlDatabase
let sessions: SessionsStore
let users: UsersStore
let reads = 0
let t = 1_000

beforeEach(async () => {
  database = createDatabase('sqlite::memory:')
  await migrateToLatest(database.kysely)
  const inner = createSqlSessionsStore(database)
  const counting: SessionsStore = {
    ...inner,
    findWithUser: (...args) => {
      reads++
      return inner.findWithUser(...args)
    },
  }
  reads = 0
  t = 1_000
  ;({ sessions, users } = withSessionCache(
    { sessions: counting, users: createSqlUsersStore(database) },
    { now: () => t, maxAgeMs: 60_000 },
  ))
})
afterEach(async () => {
  await database.close()
})

async function seed(): Promise<number> {
  const user = await users.upsertProfile(
    APPID,
    {
      openid: 'o1',
      nickname: 'before',
      headimgurl: '',
      sex: 0,
      province: '',
      city: '',
      country: '',
      privilege: [],
    },
    t,
  )
  await sessions.create({
    idHash: HASH,
    appid: APPID,
    userId: user.id,
    openid: 'o1',
    unionid: null,
    scope: 'snsapi_userinfo',
    snapshot: false,
    tokens: null,
    createdAt: t,
    expiresAt: t + 10_000,
  })
  return user.id
}

describe('session cache', () => {
  it('serves repeated lookups from memory', async () => {
    await seed()
    for (let i = 0; i < 5; i++) expect(await sessions.findWithUser(HASH, APPID, t)).not.toBeNull()
    expect(reads).toBe(1)
  })

  it('still refuses an expired session, and re-reads after maxAge', async () => {
    await seed()
    await sessions.findWithUser(HASH, APPID, t)
    expect(await sessions.findWithUser(HASH, APPID, t + 10_000)).toBeNull()
    t += 60_001
    await sessions.findWithUser(HASH, APPID, 1_000)
    expect(reads).toBe(2)
  })

  it('drops a session on update and delete', async () => {
    await seed()
    await sessions.findWithUser(HASH, APPID, t)
    await sessions.update(HASH, { scope: 'snsapi_base' })
    expect((await sessions.findWithUser(HASH, APPID, t))!.session.scope).toBe('snsapi_base')
    await sessions.delete(HASH)
    expect(await sessions.findWithUser(HASH, APPID, t)).toBeNull()
  })

  it('drops the sessions of a user whose profile changes', async () => {
    await seed()
    expect((await sessions.findWithUser(HASH, APPID, t))!.user!.nickname).toBe('before')
    await users.upsertProfile(
      APPID,
      {
        openid: 'o1',
        nickname: 'after',
        headimgurl: '',
        sex: 0,
        province: '',
        city: '',
        country: '',
        privilege: [],
      },
      t,
    )
    expect((await sessions.findWithUser(HASH, APPID, t))!.user!.nickname).toBe('after')
    const userId = (await sessions.findWithUser(HASH, APPID, t))!.user!.id
    await users.setUnionidIfMissing(userId, 'oUnion')
    expect((await sessions.findWithUser(HASH, APPID, t))!.user!.unionid).toBe('oUnion')
  })

  it('does not cache what a lookup read while a write was under way', async () => {
    await seed()
    const lookup = sessions.findWithUser(HASH, APPID, t)
    const update = sessions.update(HASH, { scope: 'snsapi_base' })
    await Promise.all([lookup, update])
    expect((await sessions.findWithUser(HASH, APPID, t))!.session.scope).toBe('snsapi_base')
  })

  it('keys entries by app', async () => {
    await seed()
    await sessions.findWithUser(HASH, APPID, t)
    expect(await sessions.findWithUser(HASH, 'wx0000000000000000', t)).toBeNull()
  })
})
