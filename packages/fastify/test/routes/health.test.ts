import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, type TestContext } from '../helper.js'

let ctx: TestContext
beforeAll(async () => {
  ctx = await build()
})
afterAll(async () => {
  await ctx?.close()
})

describe('GET /healthz, /readyz (healthRoutes: true)', () => {
  it('answer 200 when the process and the stores are up', async () => {
    expect((await ctx.app.inject('/healthz')).json()).toEqual({ status: 'ok' })
    const ready = await ctx.app.inject('/readyz')
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'unused' } })
  })

  it('readiness answers 503 SERVICE_UNAVAILABLE when the database is gone; liveness still 200', async () => {
    await ctx.app.wechatAuth.stores.close()
    const ready = await ctx.app.inject('/readyz')
    expect(ready.statusCode).toBe(503)
    expect(ready.json()).toEqual({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'The stores are not answering',
      status: 'unavailable',
      checks: { database: 'down', redis: 'unused' },
    })
    expect((await ctx.app.inject('/healthz')).statusCode).toBe(200)
    await ctx.restart()
    expect((await ctx.app.inject('/readyz')).statusCode).toBe(200)
  })
})

describe('unknown routes', () => {
  it('answer 404 NOT_FOUND in the error shape, without echoing the query', async () => {
    const response = await ctx.app.inject('/api/nope?code=secretish')
    expect(response.statusCode).toBe(404)
    expect(response.json()).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Route GET /api/nope not found',
    })
  })
})
