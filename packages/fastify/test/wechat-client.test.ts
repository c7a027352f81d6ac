/**
 * The account-wide access token behind `/api/me/subscription` and `/api/jssdk/config`, against the
 * simulator: one fetch for any number of callers, refreshed before expiry, 40001/42001 handled with
 * invalidate-if-unchanged and one refetch, configuration errors never retried, stable_token by
 * default and cgi-bin/token when WECHAT_GLOBAL_TOKEN=classic.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_APP } from '@wxauth/mock-wechat'
import { PUBLIC_URL, build, recordingFetch, type TestContext } from './helper.js'
import type { WechatAuthOptions } from '../src/index.js'

const STABLE_TOKEN = 'cgi-bin/stable_token'
const CLASSIC_TOKEN = 'cgi-bin/token'
const TICKET = 'cgi-bin/ticket/getticket'
const USER_INFO = 'cgi-bin/user/info'
const JSSDK = `/api/jssdk/config?url=${encodeURIComponent(`${PUBLIC_URL}/`)}`

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

/** A test context whose BFF clock and simulator clock can be moved together. */
async function buildWithClock(options: Partial<WechatAuthOptions> = {}) {
  let offsetMs = 0
  const ctx = await build({ options: { ...options, now: () => Date.now() + offsetMs } })
  return {
    ctx,
    /** Move the BFF's clock and WeChat's clock forward together. */
    async advance(seconds: number) {
      offsetMs += seconds * 1000
      await ctx.control('clock', { advanceSeconds: seconds })
    },
    /** Move the BFF's clock only (its caches), leaving WeChat's where it is. */
    advanceBffOnly(seconds: number) {
      offsetMs += seconds * 1000
    },
    async reset() {
      offsetMs = 0
      await ctx.control('reset')
      await ctx.restart()
      await ctx.wipe()
    },
  }
}

/** The error-level log lines written since `from`. */
function errorLines(ctx: TestContext, from: number): Array<Record<string, unknown>> {
  return ctx.logs.slice(from).filter((l) => (l.level as number) >= 50)
}

describe('stable mode (WECHAT_GLOBAL_TOKEN unset)', () => {
  let t: Awaited<ReturnType<typeof buildWithClock>>
  let ctx: TestContext
  beforeAll(async () => {
    t = await buildWithClock()
    ctx = t.ctx
  })
  afterAll(async () => {
    await ctx?.close()
  })
  beforeEach(async () => {
    await t.reset()
  })

  it('logging in needs no global token', async () => {
    await ctx.login('alice')
    const counts = await ctx.counts()
    expect(counts).not.toHaveProperty(STABLE_TOKEN)
    expect(counts).not.toHaveProperty(CLASSIC_TOKEN)
  })

  it('50 concurrent jssdk and 50 subscription callers: one stable_token, one getticket', async () => {
    const follower = await ctx.login('follower')
    const alice = await ctx.login('alice')
    const requests = [
      ...Array.from({ length: 50 }, () => ctx.browser().get(JSSDK)),
      ...Array.from({ length: 25 }, () => follower.browser.get('/api/me/subscription')),
      ...Array.from({ length: 25 }, () => alice.browser.get('/api/me/subscription')),
    ]
    const responses = await Promise.all(requests)
    expect(responses.filter((r) => r.statusCode !== 200).map((r) => r.body)).toEqual([])
    const counts = await ctx.counts()
    expect(counts[STABLE_TOKEN]).toBe(1)
    expect(counts[TICKET]).toBe(1)
    expect(counts[USER_INFO]).toBe(2) // one per user
    expect(counts).not.toHaveProperty(CLASSIC_TOKEN)
    expect(new Set(responses.slice(0, 50).map((r) => r.json().nonceStr)).size).toBe(50)
  })

  it('refreshes token and ticket before they expire: no call ever meets 42001', async () => {
    const { browser } = await ctx.login('follower')
    expect((await ctx.browser().get(JSSDK)).statusCode).toBe(200)
    expect((await browser.get('/api/me/subscription')).statusCode).toBe(200)
    // 7200 s lifetimes; at 6901 s fewer than 300 s are left, inside the client's refresh margin.
    await t.advance(6901)
    const before = await ctx.counts()
    expect((await ctx.browser().get(JSSDK)).statusCode).toBe(200)
    expect((await browser.get('/api/me/subscription')).statusCode).toBe(200)
    expect(delta(before, await ctx.counts())).toEqual({
      [STABLE_TOKEN]: 1,
      [TICKET]: 1,
      [USER_INFO]: 1,
    })
    const { calls } = (await (await fetch(`${ctx.mockUrl}/__mock/calls`)).json()) as {
      calls: Array<{ errcode?: number }>
    }
    expect(calls.filter((c) => c.errcode !== undefined && c.errcode !== 0)).toEqual([])
  })

  it('42001 from WeChat (its clock ahead of ours): invalidate, fetch once, succeed', async () => {
    const { browser } = await ctx.login('follower')
    await browser.get('/api/me/subscription')
    // WeChat thinks the token expired; the BFF still thinks it is fresh (and its subscription
    // cache entry has lapsed).
    await ctx.control('clock', { advanceSeconds: 7201 })
    t.advanceBffOnly(301)
    const before = await ctx.counts()
    const response = await browser.get('/api/me/subscription')
    expect(response.statusCode, response.body).toBe(200)
    expect(delta(before, await ctx.counts())).toEqual({ [STABLE_TOKEN]: 1, [USER_INFO]: 2 })
  })

  it('a cgi-bin/token fetched elsewhere does not touch our stable token', async () => {
    const follower = await ctx.login('follower')
    await follower.browser.get('/api/me/subscription')
    await recordingFetch(
      `${ctx.mockUrl}/cgi-bin/token?grant_type=client_credential&appid=${DEFAULT_APP.appid}&secret=${DEFAULT_APP.secret}`,
    )
    await t.advance(301) // past the 5-minute overlap a classic token would get
    const before = await ctx.counts()
    const response = await follower.browser.get('/api/me/subscription')
    expect(response.statusCode).toBe(200)
    expect(delta(before, await ctx.counts())).toEqual({ [USER_INFO]: 1 })
  })

  describe.each([
    [40164, /IP whitelist/],
    [40013, /WECHAT_APPID/],
    [40125, /WECHAT_SECRET/],
  ])('configuration errcode %d on stable_token', (errcode, hint) => {
    it('→ 500 WECHAT_CONFIG_ERROR with the hint from jssdk, never retried, logged once', async () => {
      await ctx.control('fail', { endpoint: STABLE_TOKEN, mode: 'errcode', errcode })
      const from = ctx.logs.length
      const response = await ctx.browser().get(JSSDK)
      expect(response.statusCode).toBe(500)
      expect(response.json()).toEqual({
        statusCode: 500,
        code: 'WECHAT_CONFIG_ERROR',
        message: expect.stringMatching(hint),
      })
      expect(response.body).not.toContain(DEFAULT_APP.secret)
      expect(await ctx.counts()).toEqual({ [STABLE_TOKEN]: 1 })
      const loud = errorLines(ctx, from)
      expect(loud).toHaveLength(1)
      expect(loud[0]).toMatchObject({
        msg: 'WeChat rejected the app configuration',
        wechat: {
          endpoint: STABLE_TOKEN,
          errcode,
          kind: 'config',
          hint: expect.stringMatching(hint),
        },
      })
      // Nothing sticks: once the operator fixed it, the next call works.
      expect((await ctx.browser().get(JSSDK)).statusCode).toBe(200)
    })

    it('→ 500 WECHAT_CONFIG_ERROR from subscription, never retried', async () => {
      const { browser } = await ctx.login('follower')
      await ctx.control('fail', { endpoint: STABLE_TOKEN, mode: 'errcode', errcode })
      const from = ctx.logs.length
      const response = await browser.get('/api/me/subscription')
      expect(response.statusCode).toBe(500)
      expect(response.json().code).toBe('WECHAT_CONFIG_ERROR')
      expect(response.json().message).toMatch(hint)
      const counts = await ctx.counts()
      expect(counts[STABLE_TOKEN]).toBe(1)
      expect(counts).not.toHaveProperty(USER_INFO)
      expect(errorLines(ctx, from)).toHaveLength(1)
    })
  })
})

describe('classic mode (WECHAT_GLOBAL_TOKEN=classic)', () => {
  let t: Awaited<ReturnType<typeof buildWithClock>>
  let ctx: TestContext
  beforeAll(async () => {
    t = await buildWithClock({ globalToken: 'classic' })
    ctx = t.ctx
  })
  afterAll(async () => {
    await ctx?.close()
  })
  beforeEach(async () => {
    await t.reset()
  })

  /** Another system of the same appid fetching `cgi-bin/token`: it supersedes ours. */
  async function fetchTokenElsewhere(): Promise<void> {
    const response = await recordingFetch(
      `${ctx.mockUrl}/cgi-bin/token?grant_type=client_credential&appid=${DEFAULT_APP.appid}&secret=${DEFAULT_APP.secret}`,
    )
    expect(((await response.json()) as { access_token?: string }).access_token).toBeTruthy()
  }

  it('uses cgi-bin/token, once for 50 concurrent callers', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => ctx.browser().get(JSSDK)))
    expect(responses.every((r) => r.statusCode === 200)).toBe(true)
    const counts = await ctx.counts()
    expect(counts).toMatchObject({ [CLASSIC_TOKEN]: 1, [TICKET]: 1 })
    expect(counts).not.toHaveProperty(STABLE_TOKEN)
  })

  it('superseded elsewhere: fine within the 5-minute overlap, then 40001 → one refetch → success', async () => {
    const follower = await ctx.login('follower')
    const alice = await ctx.login('alice')
    expect((await follower.browser.get('/api/me/subscription')).statusCode).toBe(200)
    await fetchTokenElsewhere()

    // Within the overlap our (old) token still works: no refetch.
    await t.advance(200)
    const inOverlap = await ctx.counts()
    expect((await alice.browser.get('/api/me/subscription')).statusCode).toBe(200)
    expect(delta(inOverlap, await ctx.counts())).toEqual({ [USER_INFO]: 1 })

    // Past the overlap (and past the follower's 5-minute cache entry): 40001 "not latest".
    await t.advance(101)
    const after = await ctx.counts()
    const response = await follower.browser.get('/api/me/subscription')
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toMatchObject({ subscribed: true })
    expect(delta(after, await ctx.counts())).toEqual({ [CLASSIC_TOKEN]: 1, [USER_INFO]: 2 })
    const { calls } = (await (await fetch(`${ctx.mockUrl}/__mock/calls`)).json()) as {
      calls: Array<{ endpoint: string; errcode?: number }>
    }
    expect(calls.filter((c) => c.endpoint === USER_INFO).map((c) => c.errcode ?? 0)).toEqual([
      0, 0, 40001, 0,
    ])
    // The refetched token is kept: the next (uncached) lookup needs no token call.
    await t.advance(301)
    const later = await ctx.counts()
    expect((await alice.browser.get('/api/me/subscription')).statusCode).toBe(200)
    expect(delta(later, await ctx.counts())).toEqual({ [USER_INFO]: 1 })
  })

  it('a superseded token seen by jssdk (getticket 40001) is replaced once too', async () => {
    // The ticket must come due before the token does: let WeChat issue it 1000 s before our first
    // call (to someone else), so the BFF learns it with 6200 s left and its token with 7200 s.
    const early = await recordingFetch(
      `${ctx.mockUrl}/cgi-bin/token?grant_type=client_credential&appid=${DEFAULT_APP.appid}&secret=${DEFAULT_APP.secret}`,
    )
    const { access_token } = (await early.json()) as { access_token: string }
    await recordingFetch(
      `${ctx.mockUrl}/cgi-bin/ticket/getticket?access_token=${access_token}&type=jsapi`,
    )
    await t.advance(1000)
    expect((await ctx.browser().get(JSSDK)).statusCode).toBe(200)
    await fetchTokenElsewhere()
    // Past the overlap, inside the ticket's refresh margin (6200 - 300 s) but not the token's.
    await t.advance(5950)
    const before = await ctx.counts()
    const response = await ctx.browser().get(JSSDK)
    expect(response.statusCode, response.body).toBe(200)
    expect(delta(before, await ctx.counts())).toEqual({ [CLASSIC_TOKEN]: 1, [TICKET]: 2 })
    const { calls } = (await (await fetch(`${ctx.mockUrl}/__mock/calls`)).json()) as {
      calls: Array<{ endpoint: string; errcode?: number }>
    }
    expect(calls.filter((c) => c.endpoint === TICKET).map((c) => c.errcode ?? 0)).toEqual([
      0, 0, 40001, 0,
    ])
  })

  it('40164 on cgi-bin/token → WECHAT_CONFIG_ERROR, never retried', async () => {
    await ctx.control('fail', { endpoint: CLASSIC_TOKEN, mode: 'errcode', errcode: 40164 })
    const response = await ctx.browser().get(JSSDK)
    expect(response.statusCode).toBe(500)
    expect(response.json().message).toMatch(/IP whitelist/)
    expect(await ctx.counts()).toEqual({ [CLASSIC_TOKEN]: 1 })
  })
})
