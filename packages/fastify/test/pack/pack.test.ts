/**
 * `pnpm pack` of @wxauth/fastify (with @wxauth/shared and @wxauth/wechat, and the simulator for the
 * smoke test) gives tarballs that install with npm outside the workspace and log a user in there:
 * a bare Fastify app registers the plugin from node_modules and serves a protected route.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { packAndInstall, type PackedProject } from '../../../../scripts/pack.js'

const SMOKE = `
import Fastify from 'fastify'
import wechatAuth from '@wxauth/fastify'
import { buildMockWechat, DEFAULT_APP } from '@wxauth/mock-wechat'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const mock = buildMockWechat({ apps: [{ ...DEFAULT_APP, domains: ['127.0.0.1:5173'] }] })
await mock.listen({ port: 0, host: '127.0.0.1' })
const wx = 'http://127.0.0.1:' + mock.server.address().port
const app = Fastify()
await app.register(wechatAuth, {
  appId: DEFAULT_APP.appid, secret: DEFAULT_APP.secret, publicUrl: 'http://127.0.0.1:5173',
  cookieSecret: 'pack-check-cookie-secret-0123456789abcdef', wechatApiBase: wx, wechatOpenBase: wx,
  databaseUrl: 'sqlite:' + join(mkdtempSync(join(tmpdir(), 'wxauth-pack-db-')), 'db.sqlite'),
})
await app.register(async (api) => {
  api.addHook('preHandler', api.wechatAuth.requireUser)
  api.get('/api/orders', async (req) => ({ nickname: req.wechatUser?.nickname ?? null }))
})
const start = await app.inject('/api/auth/authorize-url?returnTo=/&scope=snsapi_userinfo')
const cookie = start.cookies.map((c) => c.name + '=' + c.value).join('; ')
await fetch(wx + '/__mock/consent', { method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ action: 'allow', persona: 'alice' }) })
const back = new URL((await fetch(start.json().url, { redirect: 'manual' })).headers.get('location'))
const orders = await app.inject({ url: '/api/orders', headers: { cookie,
  'x-wechat-code': back.searchParams.get('code'), 'x-wechat-state': back.searchParams.get('state') } })
console.log(JSON.stringify({ refused: (await app.inject('/api/orders')).statusCode, status: orders.statusCode, body: orders.json() }))
await app.close()
await mock.close()
`

describe('the packed @wxauth/fastify', () => {
  let project: PackedProject | undefined
  afterAll(() => project?.remove())

  it(
    'installs from its tarball outside the workspace and logs a user in',
    { timeout: 600_000 },
    () => {
      project = packAndInstall(
        ['@wxauth/shared', '@wxauth/wechat', '@wxauth/fastify', '@wxauth/mock-wechat'],
        ['fastify@5'],
      )
      const result = JSON.parse(project.run(SMOKE).trim().split('\n').pop()!)
      expect(result).toEqual({ refused: 401, status: 200, body: { nickname: '陈小雨 Alice' } })
    },
  )
})
