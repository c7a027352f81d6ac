/**
 * Every authorize URL is a trip to WeChat, which blocks a client that authorizes too often (10009).
 * Issue #12.4: the limit used to be 30 per IP, so the 31st user behind an office, campus or carrier
 * NAT was refused. Now it counts per browser (the signed browser-id cookie), with a much larger
 * per-IP ceiling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, type Browser, type TestContext } from '../helper.js'

const ask = (browser: Browser, ip: string) =>
  browser.get('/api/auth/authorize-url?returnTo=/', { 'x-forwarded-for': ip })

describe('GET /api/auth/authorize-url: per browser', () => {
  let ctx: TestContext
  beforeAll(async () => {
    ctx = await build({
      options: { authRateLimit: 3, authRateLimitPerIp: 1000 },
      fastify: { trustProxy: true },
    })
  })
  afterAll(async () => {
    await ctx?.close()
  })

  it('gives each browser a long-lived, signed, httpOnly browser-id cookie', async () => {
    const browser = ctx.browser()
    const response = await ask(browser, '203.0.113.1')
    const bid = response.cookies.find((c) => c.name === 'wxauth_bid')
    expect(bid).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 31_536_000 })
    expect(bid?.value).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9+/]+$/)
    // Kept: the next answer sets no new one.
    const again = await ask(browser, '203.0.113.1')
    expect(again.cookies.find((c) => c.name === 'wxauth_bid')).toBeUndefined()
  })

  it('answers 429 RATE_LIMITED to one browser past AUTH_RATE_LIMIT, with Retry-After and no cookie', async () => {
    const browser = ctx.browser()
    for (let i = 0; i < 3; i++) expect((await ask(browser, '203.0.113.7')).statusCode).toBe(200)
    const limited = await ask(browser, '203.0.113.7')
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toEqual({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: expect.any(String),
    })
    expect(limited.headers['set-cookie']).toBeUndefined()
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    // Another browser behind the same IP is not affected.
    expect((await ask(ctx.browser(), '203.0.113.7')).statusCode).toBe(200)
  })

  it('does not take a forged browser id: a tampered cookie counts as none (a fresh id)', async () => {
    const browser = ctx.browser()
    await ask(browser, '203.0.113.8')
    const real = browser.cookies.get('wxauth_bid')!
    browser.cookies.set('wxauth_bid', `${real.slice(0, -3)}AAA`)
    const response = await ask(browser, '203.0.113.8')
    expect(response.statusCode).toBe(200)
    expect(response.cookies.find((c) => c.name === 'wxauth_bid')?.value).not.toBe(real)
  })

  it('leaves business routes alone', async () => {
    const response = await ctx.browser().get('/api/me', { 'x-forwarded-for': '203.0.113.7' })
    expect(response.statusCode).toBe(401)
  })
})

describe('GET /api/auth/authorize-url: per IP ceiling', () => {
  it('refuses a client that drops its cookies once its IP passes AUTH_RATE_LIMIT_PER_IP', async () => {
    const ctx = await build({
      options: { authRateLimit: 3, authRateLimitPerIp: 5 },
      fastify: { trustProxy: true },
    })
    try {
      // A script without a cookie jar: a fresh "browser" every time.
      for (let i = 0; i < 5; i++) {
        expect((await ask(ctx.browser(), '198.51.100.9')).statusCode).toBe(200)
      }
      const limited = await ask(ctx.browser(), '198.51.100.9')
      expect(limited.statusCode).toBe(429)
      expect(limited.headers['set-cookie']).toBeUndefined()
      expect((await ask(ctx.browser(), '198.51.100.10')).statusCode).toBe(200)
    } finally {
      await ctx.close()
    }
  })
})

describe('GET /api/auth/authorize-url: the default limits', () => {
  it('never refuses a crowd behind one NAT, and still stops one looping tab', async () => {
    const ctx = await build({ fastify: { trustProxy: true } })
    try {
      expect(ctx.settings).toMatchObject({ authRateLimit: 10, authRateLimitPerIp: 600 })
      const nat = '100.64.0.1'
      // 250 users behind one carrier-grade NAT, two logins each (e.g. base, then userinfo).
      const crowd = Array.from({ length: 250 }, () => ctx.browser())
      for (const browser of crowd) {
        for (let i = 0; i < 2; i++) expect((await ask(browser, nat)).statusCode).toBe(200)
      }
      // One of them loops: stopped at its 11th URL of the minute, far below the crowd's 500.
      const looping = crowd[0]!
      const statuses: number[] = []
      for (let i = 0; i < 12; i++) statuses.push((await ask(looping, nat)).statusCode)
      expect(statuses.slice(0, 8).every((s) => s === 200)).toBe(true)
      expect(statuses.slice(8)).toEqual([429, 429, 429, 429])
      // And the rest of the crowd goes on logging in.
      expect((await ask(crowd[1]!, nat)).statusCode).toBe(200)
    } finally {
      await ctx.close()
    }
  })
})

describe('AUTH_RATE_LIMIT=0 and AUTH_RATE_LIMIT_PER_IP=0', () => {
  it('turn the limits off', async () => {
    const ctx = await build({ options: { authRateLimit: 0, authRateLimitPerIp: 0 } })
    try {
      const browser = ctx.browser()
      for (let i = 0; i < 40; i++) {
        expect((await browser.get('/api/auth/authorize-url?returnTo=/')).statusCode).toBe(200)
      }
    } finally {
      await ctx.close()
    }
  })
})
