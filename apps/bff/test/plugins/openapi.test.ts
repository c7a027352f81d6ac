import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_APP } from '@wxauth/mock-wechat'
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

describe('GET /docs in production', () => {
  const production = {
    NODE_ENV: 'production',
    WECHAT_APPID: DEFAULT_APP.appid,
    WECHAT_SECRET: DEFAULT_APP.secret,
  }

  it('is not served unless OPENAPI_DOCS=true (issue #12.9)', async () => {
    const closed = await build({ env: production })
    try {
      for (const url of ['/docs', '/docs/json', '/docs/static/index.html']) {
        const response = await closed.app.inject(url)
        expect(response.statusCode, url).toBe(404)
        expect(response.json().code).toBe('NOT_FOUND')
      }
    } finally {
      await closed.close()
    }
    const open = await build({ env: { ...production, OPENAPI_DOCS: 'true' } })
    try {
      expect((await open.app.inject('/docs/json')).statusCode).toBe(200)
    } finally {
      await open.close()
    }
  })

  it('can be turned off in development too', async () => {
    const off = await build({ env: { OPENAPI_DOCS: 'false' } })
    try {
      expect((await off.app.inject('/docs/json')).statusCode).toBe(404)
    } finally {
      await off.close()
    }
  })
})
