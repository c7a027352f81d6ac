import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, type TestContext } from '../helper.js'

let ctx: TestContext
beforeAll(async () => {
  ctx = await build()
})
afterAll(async () => {
  await ctx?.close()
})

describe('GET /docs', () => {
  it('serves the OpenAPI UI and a spec covering every route of the API (docs/architecture.md#the-http-api)', async () => {
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
