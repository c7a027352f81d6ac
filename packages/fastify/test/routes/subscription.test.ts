import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { build, type TestContext } from '../helper.js'

const QR = 'https://h5.example.com/static/account-qr.jpg'
const USER_INFO = 'cgi-bin/user/info'
const STABLE_TOKEN = 'cgi-bin/stable_token'

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

describe('GET /api/me/subscription', () => {
  let ctx: TestContext
  let clockOffset = 0
  beforeAll(async () => {
    ctx = await build({
      options: { accountQrUrl: QR, now: () => Date.now() + clockOffset },
    })
  })
  afterAll(async () => {
    await ctx?.close()
  })
  beforeEach(async () => {
    clockOffset = 0
    // A fresh simulator state and a fresh app: the client's cached global token goes too.
    await ctx.control('reset')
    await ctx.restart()
    await ctx.wipe()
  })

  it('a follower: subscribed, with the follow time and scene, and no QR code', async () => {
    const { browser } = await ctx.login('follower')
    const before = await ctx.counts()
    const response = await browser.get('/api/me/subscription')
    expect(response.statusCode, response.body).toBe(200)
    // The simulator's follower followed at 1677650915 (2023-03-01 14:08:35 +08:00) by search.
    expect(response.json()).toEqual({
      subscribed: true,
      subscribeTime: '2023-03-01T06:08:35.000Z',
      subscribeScene: 'ADD_SCENE_SEARCH',
    })
    expect(response.headers['cache-control']).toBe('no-store')
    expect(delta(before, await ctx.counts())).toEqual({ [STABLE_TOKEN]: 1, [USER_INFO]: 1 })
  })

  it('a non-follower: not subscribed, with the account QR image', async () => {
    const { browser } = await ctx.login('alice')
    const response = await browser.get('/api/me/subscription')
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toEqual({ subscribed: false, qrCodeUrl: QR })
  })

  it('works for a snsapi_base session too: only the openid is needed', async () => {
    const { browser } = await ctx.login('follower', 'snsapi_base')
    const response = await browser.get('/api/me/subscription')
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ subscribed: true })
  })

  it('answers 403 SNAPSHOT_USER to a snapshot-page guest, without calling WeChat', async () => {
    const { browser } = await ctx.login('snapshot')
    const before = await ctx.counts()
    const response = await browser.get('/api/me/subscription')
    expect(response.statusCode).toBe(403)
    expect(response.json()).toEqual({
      statusCode: 403,
      code: 'SNAPSHOT_USER',
      message: expect.any(String),
    })
    expect(delta(before, await ctx.counts())).toEqual({})
  })

  it('answers 401 AUTH_REQUIRED without a session', async () => {
    const response = await ctx.browser().get('/api/me/subscription')
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('AUTH_REQUIRED')
    expect(await ctx.counts()).not.toHaveProperty(USER_INFO)
  })

  it('logs in from X-WeChat-Code like any business route', async () => {
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser, 'snsapi_base')
    const { code, state } = await ctx.authorize(url, 'follower')
    const response = await browser.get('/api/me/subscription', {
      'x-wechat-code': code,
      'x-wechat-state': state,
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().subscribed).toBe(true)
    expect(browser.cookies.has('wxauth_sid')).toBe(true)
  })

  it('is cached per user for SUBSCRIPTION_TTL (5 min): no WeChat call until it passes', async () => {
    const follower = await ctx.login('follower')
    const alice = await ctx.login('alice')
    await follower.browser.get('/api/me/subscription')
    const before = await ctx.counts()

    clockOffset = 299_000
    const hit = await follower.browser.get('/api/me/subscription')
    expect(hit.json()).toMatchObject({ subscribed: true })
    expect(delta(before, await ctx.counts())).toEqual({})

    // another user is not served from the follower's entry
    const other = await alice.browser.get('/api/me/subscription')
    expect(other.json()).toEqual({ subscribed: false, qrCodeUrl: QR })
    expect(delta(before, await ctx.counts())).toEqual({ [USER_INFO]: 1 })

    clockOffset = 301_000
    const after = await ctx.counts()
    const miss = await follower.browser.get('/api/me/subscription')
    expect(miss.json()).toMatchObject({ subscribed: true })
    // one more user/info; the global token is still fresh, so no token call
    expect(delta(after, await ctx.counts())).toEqual({ [USER_INFO]: 1 })
  })

  it('joins concurrent requests of one user onto one user/info call', async () => {
    const { browser } = await ctx.login('follower')
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => browser.get('/api/me/subscription')),
    )
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(200))
    expect((await ctx.counts())[USER_INFO]).toBe(1)
  })

  it('answers 503 when WeChat is down, caches nothing, and recovers', async () => {
    const { browser } = await ctx.login('follower')
    await ctx.control('fail', { endpoint: USER_INFO, mode: 'http500', times: 3 })
    const down = await browser.get('/api/me/subscription')
    expect(down.statusCode).toBe(503)
    expect(down.json().code).toBe('WECHAT_UNAVAILABLE')
    const up = await browser.get('/api/me/subscription')
    expect(up.statusCode).toBe(200)
    expect((await ctx.counts())[USER_INFO]).toBe(4) // 3 failed attempts (bounded retries), 1 good
  })
})

describe('GET /api/me/subscription without WECHAT_ACCOUNT_QR_URL, SUBSCRIPTION_TTL=1m', () => {
  let ctx: TestContext
  let clockOffset = 0
  beforeAll(async () => {
    ctx = await build({
      options: { subscriptionTtl: '1m', now: () => Date.now() + clockOffset },
    })
  })
  afterAll(async () => {
    await ctx?.close()
  })

  it('sends no qrCodeUrl, and keeps the status for one minute only', async () => {
    const { browser } = await ctx.login('alice')
    const first = await browser.get('/api/me/subscription')
    expect(first.json()).toEqual({ subscribed: false })
    clockOffset = 59_000
    await browser.get('/api/me/subscription')
    expect((await ctx.counts())[USER_INFO]).toBe(1)
    clockOffset = 61_000
    await browser.get('/api/me/subscription')
    expect((await ctx.counts())[USER_INFO]).toBe(2)
  })
})
