/**
 * The plugin as an adopter meets it: registered on a brand-new `Fastify()` exactly as the README's
 * quick start does, with one protected route of the app's own, logging in against the simulator.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildMockWechat, DEFAULT_APP } from '@wxauth/mock-wechat'
import { parseAuthParams } from '@wxauth/shared'
import wechatAuth, {
  ApiError,
  WechatAuthOptionsError,
  type WechatAuthOptions,
} from '../src/index.js'
import { COOKIE_SECRET, PUBLIC_URL, cookieClient, leakLedger } from './helper.js'

let mock: FastifyInstance
let mockUrl: string
let dir: string

beforeAll(async () => {
  mock = buildMockWechat({ apps: [{ ...DEFAULT_APP, domains: ['127.0.0.1:5173'] }] })
  await mock.listen({ port: 0, host: '127.0.0.1' })
  mockUrl = `http://127.0.0.1:${(mock.server.address() as { port: number }).port}`
  dir = mkdtempSync(join(tmpdir(), 'wxauth-plugin-'))
})
afterAll(async () => {
  await mock?.close()
  rmSync(dir, { recursive: true, force: true })
})

function options(overrides: Partial<WechatAuthOptions> = {}): WechatAuthOptions {
  return {
    appId: DEFAULT_APP.appid,
    secret: DEFAULT_APP.secret,
    publicUrl: PUBLIC_URL,
    cookieSecret: COOKIE_SECRET,
    databaseUrl: `sqlite:${join(dir, `${Math.random().toString(36).slice(2)}.sqlite`)}`,
    wechatApiBase: mockUrl,
    wechatOpenBase: mockUrl,
    ...overrides,
  }
}

/** The README's quick start, verbatim in spirit: register, then one protected scope. */
async function quickStartApp(overrides: Partial<WechatAuthOptions> = {}) {
  const app = Fastify()
  await app.register(wechatAuth, options(overrides))
  await app.register(async (api) => {
    api.addHook('preHandler', api.wechatAuth.requireUser)
    api.get('/api/orders', async (req) => ({
      openid: req.wechatSession?.openid,
      nickname: req.wechatUser?.nickname ?? null,
    }))
  })
  await app.ready()
  return app
}

describe('a brand-new Fastify app with @wxauth/fastify and one protected route', () => {
  it('refuses the route without a session, then logs in with the code on that very request', async () => {
    const app = await quickStartApp()
    try {
      const browser = cookieClient()
      const refused = await browser.get(app, '/api/orders')
      expect(refused.statusCode).toBe(401)
      expect(refused.json()).toMatchObject({ statusCode: 401, code: 'AUTH_REQUIRED' })

      const start = await browser.get(
        app,
        '/api/auth/authorize-url?returnTo=%2Forders&scope=snsapi_userinfo',
      )
      expect(start.statusCode).toBe(200)
      const { url } = start.json<{ url: string }>()
      await fetch(`${mockUrl}/__mock/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'allow', persona: 'alice' }),
      })
      const callback = await fetch(url, { redirect: 'manual' })
      const { code, state } = parseAuthParams(callback.headers.get('location') ?? '')
      leakLedger().codes.add(code!)

      const orders = await browser.get(app, '/api/orders', {
        'x-wechat-code': code!,
        'x-wechat-state': state!,
      })
      expect(orders.statusCode, orders.body).toBe(200)
      expect(orders.json()).toEqual({ openid: expect.any(String), nickname: '陈小雨 Alice' })
      expect(orders.headers['cache-control']).toBe('no-store')
      // The session cookie now does it alone, and the plugin's own routes agree.
      expect((await browser.get(app, '/api/orders')).json().nickname).toBe('陈小雨 Alice')
      expect((await browser.get(app, '/api/me')).json().user.nickname).toBe('陈小雨 Alice')
    } finally {
      await app.close()
    }
  })

  it('routes outside the protected scope stay public and untouched', async () => {
    const app = await quickStartApp()
    app.log.level = 'silent'
    try {
      expect((await app.inject('/api/nope')).statusCode).toBe(404)
      expect((await app.inject('/api/me')).statusCode).toBe(401)
    } finally {
      await app.close()
    }
  })

  it('serves the routes under another prefix', async () => {
    const app = await quickStartApp({ prefix: '/wx' })
    try {
      expect((await app.inject('/wx/auth/authorize-url?returnTo=/')).statusCode).toBe(200)
      expect((await app.inject('/api/auth/authorize-url?returnTo=/')).statusCode).toBe(404)
    } finally {
      await app.close()
    }
  })

  it('leaves the error handler to the app with errorHandler: false (ApiError carries its status)', async () => {
    const app = Fastify()
    // Set before registering: Fastify scopes inherit the handler in place when they are created.
    // The plugin's routes declare the contract body for errors, so an app's handler sends it too.
    app.setErrorHandler((error, _request, reply) => {
      const known = error instanceof ApiError ? error : new ApiError('INTERNAL_ERROR')
      return reply
        .status(known.statusCode)
        .send({ statusCode: known.statusCode, code: known.code, message: `app: ${known.message}` })
    })
    await app.register(wechatAuth, options({ errorHandler: false }))
    try {
      const response = await app.inject('/api/me')
      expect(response.statusCode).toBe(401)
      expect(response.json()).toEqual({
        statusCode: 401,
        code: 'AUTH_REQUIRED',
        message: 'app: Please log in with WeChat',
      })
    } finally {
      await app.close()
    }
  })
})

describe('options, checked at registration', () => {
  it('lists every bad or unknown option at once, and opens nothing', async () => {
    const app = Fastify()
    const bad = {
      appId: 'nope',
      secret: 'short',
      publicUrl: 'ftp://x',
      cookieSecret: 'tiny',
      sessionTtl: '7 days',
      appid: 'wx0123456789abcdef',
    } as unknown as WechatAuthOptions
    const error = await app.register(wechatAuth, bad).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(WechatAuthOptionsError)
    const problems = (error as WechatAuthOptionsError).problems
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(
      ['appId', 'appid', 'cookieSecret', 'publicUrl', 'secret', 'sessionTtl'].sort(),
    )
    expect(problems.join('\n')).not.toContain('short')
    await app.close()
  })

  it('names every missing required option', async () => {
    const app = Fastify()
    const error = (await app.register(wechatAuth, {} as WechatAuthOptions).then(
      () => null,
      (e: unknown) => e,
    )) as WechatAuthOptionsError
    expect(error.problems.map((p) => p.split(' ')[0]).sort()).toEqual(
      ['appId', 'cookieSecret', 'publicUrl', 'secret'].sort(),
    )
    await app.close()
  })
})
