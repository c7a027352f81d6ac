import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type MeResponse, type Scope } from '@wxauth/shared'
import { WechatUserSchema } from '@wxauth/shared/schemas'
import { build, type TestContext } from '../helper.js'

let ctx: TestContext
let clockOffset = 0
beforeAll(async () => {
  ctx = await build({ options: { now: () => Date.now() + clockOffset } })
})
afterAll(async () => {
  await ctx?.close()
})
beforeEach(async () => {
  clockOffset = 0
  await ctx.control('reset')
  await ctx.wipe()
})

/** Calls made between two snapshots of the simulator's counters. */
function delta(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(after))
    if (v !== (before[k] ?? 0)) out[k] = v - (before[k] ?? 0)
  return out
}

const USER_KEYS = Object.keys(WechatUserSchema.properties).sort()
const DAY_S = 86_400

describe('GET /api/me', () => {
  it('answers 401 AUTH_REQUIRED without a session or a code', async () => {
    const response = await ctx.browser().get('/api/me')
    expect(response.statusCode).toBe(401)
    expect(response.json()).toEqual({
      statusCode: 401,
      code: 'AUTH_REQUIRED',
      message: expect.any(String),
    })
  })

  const flows: Array<[string, Scope, (me: MeResponse) => void]> = [
    [
      'alice',
      'snsapi_userinfo',
      (me) =>
        expect(me.user).toMatchObject({
          nickname: '陈小雨 Alice',
          unionid: expect.stringMatching(/^o/),
        }),
    ],
    ['emoji', 'snsapi_userinfo', (me) => expect(me.user?.nickname).toBe('🌸樱花酱🍡 Sakura ✨')],
    ['noavatar', 'snsapi_userinfo', (me) => expect(me.user?.headimgurl).toBe('')],
    ['nounion', 'snsapi_userinfo', (me) => expect(me.user).not.toHaveProperty('unionid')],
    ['follower', 'snsapi_userinfo', (me) => expect(me.user?.nickname).toBe('老张')],
    ['alice', 'snsapi_base', (me) => expect(me.user).toBeNull()],
    ['emoji', 'snsapi_base', (me) => expect(me.user).toBeNull()],
    ['noavatar', 'snsapi_base', (me) => expect(me.user).toBeNull()],
    ['nounion', 'snsapi_base', (me) => expect(me.user).toBeNull()],
    ['follower', 'snsapi_base', (me) => expect(me.user).toBeNull()],
    ['snapshot', 'snsapi_userinfo', (me) => expect(me.user).toBeNull()],
  ]
  it.each(flows)('logs %s in with %s', async (persona, scope, check) => {
    const { browser, me, response } = await ctx.login(persona, scope)
    check(me)
    expect(me.session.scope).toBe(scope)
    expect(me.session.snapshot).toBe(persona === 'snapshot')
    expect(Date.parse(me.session.expiresAt)).toBeGreaterThan(Date.now())
    if (me.user) {
      expect(Object.keys(me.user).sort()).toEqual(
        USER_KEYS.filter((k) => k !== 'unionid' || 'unionid' in me.user!),
      )
      expect(me.user.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/)
    }
    expect(response.body).not.toMatch(/token|secret/i)
    // The session alone is enough from now on.
    const again = await browser.get('/api/me')
    expect(again.statusCode).toBe(200)
    expect(again.json()).toEqual(me)
  })

  it('keeps the session across a restart of the app on the same SQLite file', async () => {
    const { browser, me } = await ctx.login('alice')
    await ctx.restart()
    const response = await browser.get('/api/me')
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual(me)
  })

  it('refuses a session cookie with a bad signature and clears it', async () => {
    const { browser } = await ctx.login('alice')
    const [id] = browser.cookies.get('wxauth_sid')!.split('.')
    browser.cookies.set('wxauth_sid', `${id}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`)
    const response = await browser.get('/api/me')
    expect(response.statusCode).toBe(401)
    expect(String(response.headers['set-cookie'])).toMatch(/^wxauth_sid=; Max-Age=0/)
  })

  it('ends the session after SESSION_TTL', async () => {
    const { browser } = await ctx.login('alice')
    clockOffset = ctx.settings.sessionTtlMs + 1000
    const response = await browser.get('/api/me')
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('AUTH_REQUIRED')
  })
})

describe('POST /api/me/refresh', () => {
  it('re-pulls the profile with the live web token (one call, no refresh)', async () => {
    const { browser } = await ctx.login('alice')
    const before = await ctx.counts()
    const response = await browser.post('/api/me/refresh')
    expect(response.statusCode).toBe(200)
    expect(response.json().user.nickname).toBe('陈小雨 Alice')
    expect(delta(before, await ctx.counts())).toEqual({ 'sns/userinfo': 1 })
  })

  it('refreshes the web token once WeChat says it expired (7200 s), then re-pulls userinfo', async () => {
    const { browser } = await ctx.login('emoji')
    await ctx.control('clock', { advanceSeconds: 7201 })
    const response = await browser.post('/api/me/refresh')
    expect(response.statusCode).toBe(200)
    expect(response.json().user.nickname).toBe('🌸樱花酱🍡 Sakura ✨')
    expect(await ctx.counts()).toMatchObject({ 'sns/oauth2/refresh_token': 1 })
    // The refreshed token is kept: the next refresh within its 7200 s needs no token refresh.
    const before = await ctx.counts()
    await ctx.control('clock', { advanceSeconds: 3600 })
    const again = await browser.post('/api/me/refresh')
    expect(again.statusCode).toBe(200)
    expect(delta(before, await ctx.counts())).toEqual({ 'sns/userinfo': 1 })
  })

  it('refreshes first when its own clock says the token has expired', async () => {
    const { browser } = await ctx.login('alice')
    await ctx.control('clock', { advanceSeconds: 7201 })
    clockOffset = 7201 * 1000
    const response = await browser.post('/api/me/refresh')
    expect(response.statusCode).toBe(200)
    const counts = await ctx.counts()
    expect(counts['sns/oauth2/refresh_token']).toBe(1)
    expect(counts['sns/userinfo']).toBe(2) // one at login, one now: no wasted 42001 round trip
  })

  it('answers 401 REAUTH_REQUIRED once the refresh_token is dead (30 days)', async () => {
    const { browser } = await ctx.login('alice')
    await ctx.control('clock', { advanceSeconds: 31 * DAY_S })
    const response = await browser.post('/api/me/refresh')
    expect(response.statusCode).toBe(401)
    expect(response.json()).toMatchObject({ statusCode: 401, code: 'REAUTH_REQUIRED' })
  })

  it.each([40030, 42002, 42007])('maps refresh errcode %d to REAUTH_REQUIRED', async (errcode) => {
    const { browser } = await ctx.login('alice')
    await ctx.control('clock', { advanceSeconds: 7201 })
    await ctx.control('fail', { endpoint: 'sns/oauth2/refresh_token', mode: 'errcode', errcode })
    const response = await browser.post('/api/me/refresh')
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('REAUTH_REQUIRED')
  })

  it('answers 503 and keeps the stored profile when WeChat is down', async () => {
    const { browser, me } = await ctx.login('alice')
    await ctx.control('fail', { endpoint: 'sns/userinfo', mode: 'http500', times: 3 })
    const response = await browser.post('/api/me/refresh')
    expect(response.statusCode).toBe(503)
    expect(response.json().code).toBe('WECHAT_UNAVAILABLE')
    expect((await browser.get('/api/me')).json()).toEqual(me)
  })

  it('answers 403 SCOPE_UPGRADE_REQUIRED for a snsapi_base session', async () => {
    const { browser } = await ctx.login('alice', 'snsapi_base')
    const response = await browser.post('/api/me/refresh')
    expect(response.statusCode).toBe(403)
    expect(response.json().code).toBe('SCOPE_UPGRADE_REQUIRED')
  })

  it('answers 401 without a session', async () => {
    expect((await ctx.browser().post('/api/me/refresh')).statusCode).toBe(401)
  })
})
