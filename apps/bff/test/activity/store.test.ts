import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import wechatAuth from '@wxauth/fastify'
import { ACTIVITY_MIGRATIONS, DEMO_ACTIVITY } from '../../src/activity/migrations.js'
import { createActivitiesStore, type ActivityTables } from '../../src/activity/store.js'
import { COOKIE_SECRET, PUBLIC_URL } from '../helper.js'

const APPID = 'wx5f3c1a9e2b7d4f60'
const PROFILE = {
  openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
  nickname: '🌸樱花酱🍡',
  headimgurl: 'https://thirdwx.qlogo.cn/mmopen/x/132',
  sex: 0,
  province: '',
  city: '',
  country: '',
  privilege: [],
}

let dir: string
let app: FastifyInstance
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxauth-activity-'))
  app = Fastify()
  await app.register(wechatAuth, {
    appId: APPID,
    secret: 'mock-secret-for-local-development-only',
    publicUrl: PUBLIC_URL,
    cookieSecret: COOKIE_SECRET,
    databaseUrl: `sqlite:${join(dir, 'db.sqlite')}`,
    migrations: ACTIVITY_MIGRATIONS,
  })
  await app.ready()
})
afterEach(async () => {
  await app.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('activity migrations', () => {
  it("create the tables after the plugin's and seed the demo activity once", async () => {
    const activity = await createActivitiesStore(
      app.wechatAuth.db.withTables<ActivityTables>(),
    ).current()
    expect(activity).toMatchObject({ title: DEMO_ACTIVITY.title })
    expect(activity!.coverUrl).toMatch(/^data:image\/svg\+xml/)
    expect(activity!.startsAt).toBeLessThan(Date.now())
    expect(activity!.endsAt).toBeGreaterThan(Date.now())
  })
})

describe('activities store (SQLite)', () => {
  it('joins idempotently and lists the latest participants with public fields only', async () => {
    const users = app.wechatAuth.stores.repositories.users
    const activities = createActivitiesStore(app.wechatAuth.db.withTables<ActivityTables>())
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
