/**
 * Issue #12.3: code exchanges were unlimited. One state cookie sent 4,000 bogus codes and made 4,000
 * WeChat calls carrying the AppSecret; 400 concurrent ones held 400 upstream sockets. Now: one
 * exchange per state, per-browser and per-IP limits checked before WeChat is called, and a cap on
 * concurrent upstream exchanges; joining an exchange (or its cached outcome) is never counted.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { build, codeHeaders, type Browser, type TestContext } from '../helper.js'

let ctx: TestContext | undefined
afterEach(async () => {
  await ctx?.close()
  ctx = undefined
})

/** A well-formed code WeChat never issued (it answers 40029). */
const bogus = (i: number) => `bogus${String(i).padStart(27, '0')}`

const accessTokenCalls = async (c: TestContext) =>
  (await c.counts())['sns/oauth2/access_token'] ?? 0

describe('one state cookie, a flood of bogus codes', () => {
  /** 400 bogus codes with one state cookie, 40 at a time: the statuses. */
  async function flood(c: TestContext): Promise<number[]> {
    const browser = c.browser()
    const { state } = await c.startLogin(browser)
    const statuses: number[] = []
    for (let batch = 0; batch < 10; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          browser.get('/api/me', codeHeaders(bogus(batch * 40 + i), state)),
        ),
      )
      statuses.push(...responses.map((r) => r.statusCode))
    }
    return statuses
  }
  const tally = (statuses: number[]) =>
    Object.fromEntries(
      [...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length]),
    )

  it('makes one WeChat call: the state is spent on the first code (limits off)', async () => {
    ctx = await build({ options: { exchangeRateLimit: 0, exchangeRateLimitPerIp: 0 } })
    // 401 CODE_INVALID from WeChat once; 403 STATE_MISMATCH without a call for the rest.
    expect(tally(await flood(ctx))).toEqual({ 401: 1, 403: 399 })
    expect(await accessTokenCalls(ctx)).toBe(1)
  })

  it('with the default limits, the browser is also cut off after 10 attempts a minute', async () => {
    ctx = await build()
    expect(tally(await flood(ctx))).toEqual({ 401: 1, 403: 9, 429: 390 })
    expect(await accessTokenCalls(ctx)).toBe(1)
  })
})

describe('per browser', () => {
  it('answers 429 RATE_LIMITED past EXCHANGE_RATE_LIMIT, with Retry-After, before calling WeChat', async () => {
    ctx = await build({ options: { exchangeRateLimit: 3, authRateLimit: 100 } })
    const browser = ctx.browser()
    const statuses: number[] = []
    let limited
    for (let i = 0; i < 6; i++) {
      // A fresh state each time (the per-state rule alone would not stop this).
      const { state } = await ctx.startLogin(browser)
      const response = await browser.get('/api/me', codeHeaders(bogus(i), state))
      statuses.push(response.statusCode)
      if (response.statusCode === 429) limited = response
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429])
    expect(limited?.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' })
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0)
    expect(await accessTokenCalls(ctx)).toBe(3)
    // Another browser is not affected.
    const other = ctx.browser()
    const { state } = await ctx.startLogin(other)
    expect((await other.get('/api/me', codeHeaders(bogus(99), state))).statusCode).toBe(401)
  })
})

describe('per IP', () => {
  it('answers 429 past EXCHANGE_RATE_LIMIT_PER_IP, whatever the browsers', async () => {
    ctx = await build({ options: { exchangeRateLimitPerIp: 4 }, fastify: { trustProxy: true } })
    const from = (ip: string) => ({ 'x-forwarded-for': ip })
    const attempt = async (ip: string, i: number) => {
      const browser = ctx!.browser()
      const start = await browser.get('/api/auth/authorize-url?returnTo=/', from(ip))
      const { state } = start.json<{ state: string }>()
      return (await browser.get('/api/me', { ...codeHeaders(bogus(i), state), ...from(ip) }))
        .statusCode
    }
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push(await attempt('203.0.113.50', i))
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429])
    expect(await attempt('203.0.113.51', 7)).toBe(401)
    expect(await accessTokenCalls(ctx)).toBe(5)
  })
})

describe('joins are free', () => {
  it('30 parallel requests with one code and the duplicate callback: one exchange, all 200, even at a limit of 1', async () => {
    ctx = await build({ options: { exchangeRateLimit: 1, exchangeRateLimitPerIp: 1 } })
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code, state } = await ctx.authorize(url, 'alice')
    const cookie = browser.cookieHeader()
    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        ctx!.app.inject({ url: '/api/me', headers: { cookie, ...codeHeaders(code, state) } }),
      ),
    )
    expect(responses.map((r) => r.statusCode)).toEqual(Array(30).fill(200))
    // WeChat's duplicate callback, in another tab that still has the state cookie.
    const duplicate = await ctx.app.inject({
      url: '/api/me',
      headers: { cookie, ...codeHeaders(code, state) },
    })
    expect(duplicate.statusCode).toBe(200)
    expect(await accessTokenCalls(ctx)).toBe(1)
    // A second real exchange is counted.
    const { url: next } = await ctx.startLogin(browser)
    const fresh = await ctx.authorize(next, 'alice')
    const limited = await browser.get('/api/me', codeHeaders(fresh.code, fresh.state))
    expect(limited.statusCode).toBe(429)
    expect(await accessTokenCalls(ctx)).toBe(1)
  })
})

describe('concurrent upstream exchanges', () => {
  it('run EXCHANGE_CONCURRENCY at once, queue as many, refuse the rest with 429 (retryable)', async () => {
    // WeChat answers 500 ms late; a client timeout well above it, so a slow machine cannot turn
    // the queued exchanges into timeouts.
    ctx = await build({
      options: { exchangeConcurrency: 2, wechat: { timeoutMs: 5_000, retryBaseDelayMs: 1 } },
    })
    const logins: Array<{ browser: Browser; code: string; state: string }> = []
    for (let i = 0; i < 10; i++) {
      const browser = ctx.browser()
      const { url } = await ctx.startLogin(browser)
      logins.push({ browser, ...(await ctx.authorize(url, 'alice')) })
    }
    await ctx.control('latency', { ms: 500, endpoint: 'sns/oauth2/access_token' })
    const responses = await Promise.all(
      logins.map(({ browser, code, state }) => browser.get('/api/me', codeHeaders(code, state))),
    )
    const statuses = responses.map((r) => r.statusCode).sort()
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429, 429, 429, 429, 429])
    expect(await accessTokenCalls(ctx)).toBe(4)
    const refused = responses.find((r) => r.statusCode === 429)!
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED' })
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    // Nothing was spent on WeChat's side: the refused logins succeed when retried.
    await ctx.control('latency', { ms: 0, endpoint: 'sns/oauth2/access_token' })
    const retried = logins.filter((_, i) => responses[i]!.statusCode === 429)
    for (const { browser, code, state } of retried) {
      expect((await browser.get('/api/me', codeHeaders(code, state))).statusCode).toBe(200)
    }
    expect(await accessTokenCalls(ctx)).toBe(10)
  })
})
