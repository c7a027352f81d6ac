/**
 * `wxauth_rate_limited_total{route}`: every 429 the app answers, counted in one place (an
 * onResponse hook) by the route's registered pattern, so a limiter added later needs no code of
 * its own to be counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError } from '../../src/index.js'
import { build, fixtureBuilder, type TestContext } from '../helper.js'
import { delta, scrape } from './scrape.js'

let ctx: TestContext
beforeAll(async () => {
  const fixture = fixtureBuilder({ trustProxy: true })
  ctx = await build({
    options: { authRateLimit: 2 },
    // The fixture plus a route of the app's own that refuses with 429 (a limiter of its own).
    buildApp: async (options, logStream) => {
      const app = await fixture(options, logStream)
      app.get('/api/busy/:id', async () => {
        throw new ApiError('RATE_LIMITED')
      })
      return app
    },
  })
})
afterAll(async () => {
  await ctx?.close()
})

describe('wxauth_rate_limited_total', () => {
  it('counts the authorize-url limiter’s 429s under the route pattern, without the query', async () => {
    const before = await scrape(ctx.app)
    // One browser: the limit counts per browser (its browser-id cookie).
    const browser = ctx.browser()
    const ask = () =>
      browser.get('/api/auth/authorize-url?returnTo=%2Fsecret%3Fx%3D1', {
        'x-forwarded-for': '203.0.113.9',
      })
    const statuses = [] as number[]
    for (let i = 0; i < 4; i++) statuses.push((await ask()).statusCode)
    expect(statuses).toEqual([200, 200, 429, 429])
    const after = await scrape(ctx.app)
    expect(
      delta(after, before, 'wxauth_rate_limited_total', { route: '/api/auth/authorize-url' }),
    ).toBe(2)
    expect(after.labelValues('wxauth_rate_limited_total', 'route')).not.toContain(
      expect.stringContaining('?'),
    )
    // A refused request issued no URL.
    expect(delta(after, before, 'wxauth_authorize_urls_total')).toBe(2)
  })

  it('counts any other 429 too, by its pattern (never the id in the path)', async () => {
    const before = await scrape(ctx.app)
    expect((await ctx.browser().get('/api/busy/o1234567890')).statusCode).toBe(429)
    expect((await ctx.browser().get('/api/busy/o0987654321')).statusCode).toBe(429)
    const after = await scrape(ctx.app)
    expect(delta(after, before, 'wxauth_rate_limited_total', { route: '/api/busy/:id' })).toBe(2)
    expect(after.text).not.toContain('o1234567890')
  })

  it('counts nothing else', async () => {
    const before = await scrape(ctx.app)
    expect((await ctx.browser().get('/api/me')).statusCode).toBe(401)
    expect((await ctx.browser().get('/nowhere')).statusCode).toBe(404)
    const after = await scrape(ctx.app)
    expect(delta(after, before, 'wxauth_rate_limited_total')).toBe(0)
  })
})
