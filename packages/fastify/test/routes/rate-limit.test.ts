import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, type TestContext } from '../helper.js'

/** Every authorize URL is a trip to WeChat, which blocks a client that authorizes too often (10009). */
describe('GET /api/auth/authorize-url rate limit', () => {
  let ctx: TestContext
  beforeAll(async () => {
    ctx = await build({ options: { authRateLimit: 3 }, fastify: { trustProxy: true } })
  })
  afterAll(async () => {
    await ctx?.close()
  })

  const ask = (ip: string) =>
    ctx.browser().get('/api/auth/authorize-url?returnTo=/', { 'x-forwarded-for': ip })

  it('answers 429 RATE_LIMITED past AUTH_RATE_LIMIT per minute, without a state cookie', async () => {
    for (let i = 0; i < 3; i++) expect((await ask('203.0.113.7')).statusCode).toBe(200)
    const limited = await ask('203.0.113.7')
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toEqual({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: expect.any(String),
    })
    expect(limited.headers['set-cookie']).toBeUndefined()
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
  })

  it('counts each client apart (X-Forwarded-For, with TRUST_PROXY)', async () => {
    expect((await ask('198.51.100.1')).statusCode).toBe(200)
    expect((await ask('203.0.113.7')).statusCode).toBe(429)
  })

  it('leaves business routes alone', async () => {
    const response = await ctx.browser().get('/api/me', { 'x-forwarded-for': '203.0.113.7' })
    expect(response.statusCode).toBe(401)
  })
})

describe('AUTH_RATE_LIMIT=0', () => {
  it('turns the limit off', async () => {
    const ctx = await build({ options: { authRateLimit: 0 } })
    try {
      for (let i = 0; i < 40; i++) {
        expect((await ctx.browser().get('/api/auth/authorize-url?returnTo=/')).statusCode).toBe(200)
      }
    } finally {
      await ctx.close()
    }
  })
})
