import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, type TestContext } from '../helper.js'

let ctx: TestContext
beforeAll(async () => {
  ctx = await build()
})
afterAll(async () => {
  await ctx?.close()
})

describe('GET /healthz, /readyz', () => {
  it('answer 200 when the process and the stores are up', async () => {
    expect((await ctx.app.inject('/healthz')).json()).toEqual({ status: 'ok' })
    const ready = await ctx.app.inject('/readyz')
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'unused' } })
  })

  it('readiness answers 503 SERVICE_UNAVAILABLE when the database is gone; liveness still 200', async () => {
    await ctx.app.stores.close()
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

describe('GET /docs', () => {
  it('serves the OpenAPI UI and a spec covering every route of DESIGN.md §4', async () => {
    const ui = await ctx.app.inject('/docs')
    expect([200, 302]).toContain(ui.statusCode)
    const spec = (await ctx.app.inject('/docs/json')).json()
    expect(spec.openapi).toMatch(/^3\./)
    expect(Object.keys(spec.paths).sort()).toEqual(
      [
        '/api/activity',
        '/api/activity/join',
        '/api/auth/authorize-url',
        '/api/auth/logout',
        '/api/auth/session',
        '/api/jssdk/config',
        '/api/me',
        '/api/me/refresh',
        '/api/me/subscription',
        '/healthz',
        '/readyz',
      ].sort(),
    )
    expect(JSON.stringify(spec)).not.toMatch(/access_token|refresh_token/)
    const me = spec.paths['/api/me'].get
    expect(me.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['header:x-wechat-code', 'header:x-wechat-state']),
    )
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
