/**
 * The README's scale-out example, for real: two BFF processes (`src/server.ts`, configured only by
 * environment) on one Redis and one PostgreSQL, behind `scripts/lb.mjs`, driven over HTTP like a
 * browser would, against the simulator. Logins and sessions work whichever instance answers, both
 * instances serve, and an instance that goes away is taken out of rotation.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildMockWechat, DEFAULT_APP } from '@wxauth/mock-wechat'
import { parseAuthParams } from '@wxauth/shared'
import { runLogged, type LoggedProcess } from '../../../../scripts/child-process.js'
import { freePort } from '../../../../scripts/test-services.js'
import { COOKIE_SECRET, leakLedger } from '../helper.js'
import {
  eventually,
  requireServices,
  startServices,
  type Services,
} from '../../../../packages/fastify/test/distributed/cluster.js'

const root = fileURLToPath(new URL('../../../../', import.meta.url))
const tsx = join(root, 'apps/bff/node_modules/.bin/tsx')
const server = join(root, 'apps/bff/src/server.ts')
const lb = join(root, 'scripts/lb.mjs')

const enabled = requireServices(['redis', 'postgres'])

type Proc = LoggedProcess
const run = runLogged

/** Lines an instance logged for completed requests to `path`. */
function served(proc: Proc, path: string): number {
  return proc
    .output()
    .split('\n')
    .filter((line) => line.includes('"msg":"request"') && line.includes(`"url":"${path}"`)).length
}

describe.skipIf(!enabled)('two BFF processes behind scripts/lb.mjs', () => {
  let services: Services
  let mock: FastifyInstance
  let lbUrl: string
  const procs: Proc[] = []
  let instances: [Proc, Proc]

  beforeAll(async () => {
    services = await startServices()
    const [lbPort, portA, portB] = await Promise.all([freePort(), freePort(), freePort()])
    lbUrl = `http://127.0.0.1:${lbPort}`
    // The site's public origin is the load balancer: WeChat sends users back there.
    mock = buildMockWechat({
      apps: [{ ...DEFAULT_APP, domains: [`127.0.0.1:${lbPort}`] }],
      authorizeRateLimitPerMinute: 10_000,
    })
    await mock.listen({ port: 0, host: '127.0.0.1' })
    const mockUrl = `http://127.0.0.1:${(mock.server.address() as { port: number }).port}`
    const env = {
      WECHAT_API_BASE: mockUrl,
      WECHAT_OPEN_BASE: mockUrl,
      PUBLIC_URL: lbUrl,
      COOKIE_SECRET,
      DATABASE_URL: services.postgres.url,
      REDIS_URL: services.redis.url,
      STATIC_DIR: join(root, 'no-spa-here'),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    }
    instances = [
      run(tsx, ['--conditions=source', server], { ...env, PORT: String(portA) }),
      run(tsx, ['--conditions=source', server], { ...env, PORT: String(portB) }),
    ]
    procs.push(...instances)
    for (const proc of instances) {
      await eventually(async () => /Server listening at/.test(proc.output()), 30_000)
    }
    const balancer = run(
      process.execPath,
      [lb, '--port', String(lbPort), `http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`],
      { LB_CHECK_MS: '200' },
    )
    procs.push(balancer)
    await eventually(async () => /lb listening on/.test(balancer.output()))
  }, 60_000)

  afterAll(async () => {
    for (const proc of procs) {
      proc.child.kill('SIGTERM')
      await proc.exited
      for (const line of proc.output().split('\n')) if (line) leakLedger().logLines.push(line)
    }
    await mock?.close()
    await services?.stop()
  })

  it('logs in through the balancer, and the session holds whichever instance answers', async () => {
    const jar = new Map<string, string>()
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
    const keep = (response: Response) => {
      for (const set of response.headers.getSetCookie()) {
        const pair = set.split(';')[0]!
        const name = pair.slice(0, pair.indexOf('='))
        const value = pair.slice(pair.indexOf('=') + 1)
        if (value === '' || /Max-Age=0/i.test(set)) jar.delete(name)
        else jar.set(name, value)
      }
    }
    const start = await fetch(`${lbUrl}/api/auth/authorize-url?returnTo=%2F&scope=snsapi_userinfo`)
    expect(start.status).toBe(200)
    keep(start)
    const { url } = (await start.json()) as { url: string }
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(`${lbUrl}/`)

    await mock.inject({
      method: 'POST',
      url: '/__mock/consent',
      payload: { action: 'allow', persona: 'alice' },
    })
    const redirect = await fetch(url, { redirect: 'manual' })
    expect(redirect.status).toBe(302)
    const { code, state } = parseAuthParams(redirect.headers.get('location') ?? '')
    if (!code || !state) throw new Error('no code/state in the callback')
    leakLedger().codes.add(code)
    const me = await fetch(`${lbUrl}/api/me`, {
      headers: { cookie: cookie(), 'x-wechat-code': code, 'x-wechat-state': state },
    })
    expect(me.status).toBe(200)
    keep(me)
    expect(jar.has('wxauth_sid')).toBe(true)
    const body = await me.json()
    expect(body).toMatchObject({ user: { nickname: '陈小雨 Alice' } })

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${lbUrl}/api/me`, { headers: { cookie: cookie() } })),
    )
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200))
    for (const r of responses) expect(await r.json()).toEqual(body)
    // Round robin: both instances served the session.
    await eventually(async () => instances.every((p) => served(p, '/api/me') >= 5))

    const logout = await fetch(`${lbUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: cookie() },
    })
    expect(logout.status).toBe(204)
    const after = await Promise.all(
      [1, 2].map(() => fetch(`${lbUrl}/api/me`, { headers: { cookie: cookie() } })),
    )
    expect(after.map((r) => r.status)).toEqual([401, 401])
  })

  it('takes an instance that went away out of rotation', async () => {
    const [a] = instances
    a.child.kill('SIGTERM')
    expect(await a.exited).toBe(0)
    const statuses = []
    for (let i = 0; i < 10; i++) statuses.push((await fetch(`${lbUrl}/readyz`)).status)
    expect(statuses).toEqual(Array(10).fill(200))
  })
})
