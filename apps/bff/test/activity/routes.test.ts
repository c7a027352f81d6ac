import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEMO_ACTIVITY } from '../../src/activity/migrations.js'
import { createActivitiesStore, type ActivityTables } from '../../src/activity/store.js'
import { build, codeHeaders, type TestContext } from '../helper.js'

let ctx: TestContext
beforeAll(async () => {
  ctx = await build()
})
afterAll(async () => {
  await ctx?.close()
})
beforeEach(async () => {
  await ctx.control('reset')
  await ctx.wipe()
})

describe('GET /api/activity', () => {
  it('needs a session: 401 AUTH_REQUIRED without one', async () => {
    const response = await ctx.browser().get('/api/activity')
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('AUTH_REQUIRED')
  })

  it('returns the seeded activity to a snsapi_base session, not joined', async () => {
    const { browser } = await ctx.login('alice', 'snsapi_base')
    const response = await browser.get('/api/activity')
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body).toMatchObject({
      title: DEMO_ACTIVITY.title,
      description: DEMO_ACTIVITY.description,
      joined: false,
      participantCount: 0,
      participants: [],
    })
    expect(body.coverUrl).toMatch(/^data:image\/svg\+xml/)
    expect(Date.parse(body.startsAt)).toBeLessThan(Date.now())
    expect(Date.parse(body.endsAt)).toBeGreaterThan(Date.now())
  })

  it('logs in from the code headers of the business request itself', async () => {
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser, 'snsapi_base')
    const { code, state } = await ctx.authorize(url, 'follower')
    const response = await browser.get('/api/activity', codeHeaders(code, state))
    expect(response.statusCode).toBe(200)
    expect(browser.cookies.has('wxauth_sid')).toBe(true)
  })
})

describe('POST /api/activity/join', () => {
  it('joins once (201), then again is a no-op (200); participants show nickname and avatar only', async () => {
    const { browser, me } = await ctx.login('alice')
    const first = await browser.post('/api/activity/join')
    expect(first.statusCode).toBe(201)
    expect(first.json()).toEqual({ joined: true, participantCount: 1 })
    const second = await browser.post('/api/activity/join')
    expect(second.statusCode).toBe(200)
    expect(second.json()).toEqual({ joined: true, participantCount: 1 })

    const activity = await browser.get('/api/activity')
    const body = activity.json()
    expect(body.joined).toBe(true)
    expect(body.participants).toEqual([
      { nickname: '陈小雨 Alice', headimgurl: me.user!.headimgurl },
    ])
    expect(activity.body).not.toContain(me.user!.openid)
    expect(activity.body).not.toContain(me.user!.unionid)
  })

  it('lists the latest 20 participants, newest first, and counts them all', async () => {
    const personas = ['alice', 'emoji', 'noavatar', 'nounion', 'follower']
    for (const persona of personas) {
      const { browser } = await ctx.login(persona)
      expect((await browser.post('/api/activity/join')).statusCode).toBe(201)
    }
    // Pad with more users straight through the store, to pass 20.
    const activities = createActivitiesStore(ctx.app.wechatAuth.db.withTables<ActivityTables>())
    const activityId = (await activities.current())!.id
    for (let i = 0; i < 20; i++) {
      const user = await ctx.app.wechatAuth.stores.repositories.users.upsertProfile(
        ctx.settings.appId,
        {
          openid: `oPad${i}`,
          nickname: `pad${i}`,
          headimgurl: '',
          sex: 0,
          province: '',
          city: '',
          country: '',
          privilege: [],
        },
        Date.now(),
      )
      await activities.join(activityId, user.id, Date.now() + 1000 + i)
    }
    const { browser } = await ctx.login('alice', 'snsapi_base')
    const body = (await browser.get('/api/activity')).json()
    expect(body.participantCount).toBe(25)
    expect(body.participants).toHaveLength(20)
    expect(body.participants[0].nickname).toBe('pad19')
    expect(body.joined).toBe(true) // alice, known from her earlier login
  })

  it('needs the user profile: a first snsapi_base session gets 403 SCOPE_UPGRADE_REQUIRED', async () => {
    const { browser } = await ctx.login('nounion', 'snsapi_base')
    const response = await browser.post('/api/activity/join')
    expect(response.statusCode).toBe(403)
    expect(response.json().code).toBe('SCOPE_UPGRADE_REQUIRED')
    expect(await ctx.count('activity_participants')).toBe(0)
  })

  it('lets a snsapi_base session of a user whose profile is stored join', async () => {
    await ctx.login('emoji', 'snsapi_userinfo')
    const { browser } = await ctx.login('emoji', 'snsapi_base')
    expect((await browser.post('/api/activity/join')).statusCode).toBe(201)
  })

  it('needs a session: 401 without one', async () => {
    const response = await ctx.browser().post('/api/activity/join')
    expect(response.statusCode).toBe(401)
  })
})
