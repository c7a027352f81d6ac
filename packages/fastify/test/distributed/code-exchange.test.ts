/**
 * Distributed mode, the code exchange (docs/architecture.md#the-code-is-exchanged-once): however many requests carry one code,
 * on however many instances, WeChat's `sns/oauth2/access_token` is called once. The Redis lock's
 * holder exchanges; the others get its outcome (published, or from the 5-minute cache); a crashed
 * holder blocks a code only until its lock expires.
 */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src/util/ids.js'
import {
  codeHeaders,
  delta,
  requireServices,
  startCluster,
  startServices,
  type Cluster,
  type Services,
} from './cluster.js'

const EXCHANGE = 'sns/oauth2/access_token'
const USERINFO = 'sns/userinfo'

const enabled = requireServices(['redis', 'postgres'])

describe.skipIf(!enabled)('distributed code exchange (3 instances)', () => {
  let services: Services
  let cluster: Cluster
  let apps: FastifyInstance[]

  beforeAll(async () => {
    services = await startServices()
    cluster = await startCluster(services, { instances: 3 })
    apps = cluster.apps
  })
  afterAll(async () => {
    await cluster?.close()
    await services?.stop()
  })
  beforeEach(async () => {
    await cluster.control('latency', { ms: 0 })
  })

  /** A code and state for a fresh browser, the state cookie set through instance `start`. */
  async function freshCode(start: FastifyInstance, persona = 'alice') {
    const browser = cluster.browser()
    const { url } = await cluster.startLogin(start, browser)
    const { code, state } = await cluster.authorize(url, persona)
    return { browser, code, state }
  }

  it('40 concurrent requests with one code, spread over the instances: exactly one exchange', async () => {
    // WeChat answering slowly keeps every request in flight while the exchange runs.
    await cluster.control('latency', { ms: 150 })
    const { browser, code, state } = await freshCode(apps[0]!)
    const stateCookie = browser.cookieHeader()
    const before = await cluster.counts()
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        apps[i % apps.length]!.inject({
          url: '/api/me',
          headers: { cookie: stateCookie, ...codeHeaders(code, state) },
        }),
      ),
    )
    expect(responses.map((r) => r.statusCode)).toEqual(Array(40).fill(200))
    const sessions = new Set(
      responses.map((r) => r.cookies.find((c) => c.name === 'wxauth_sid')?.value),
    )
    expect(sessions.size).toBe(1)
    expect(delta(before, await cluster.counts())).toEqual({ [EXCHANGE]: 1, [USERINFO]: 1 })
    // The one session works everywhere.
    const sid = [...sessions][0]!
    for (const app of apps) {
      const me = await app.inject({ url: '/api/me', headers: { cookie: `wxauth_sid=${sid}` } })
      expect(me.statusCode).toBe(200)
    }
  })

  it('reuses the cached outcome on another instance (WeChat calling back twice, a reload)', async () => {
    const { browser, code, state } = await freshCode(apps[0]!)
    const stateCookie = browser.cookieHeader()
    const first = await apps[0]!.inject({
      url: '/api/me',
      headers: { cookie: stateCookie, ...codeHeaders(code, state) },
    })
    expect(first.statusCode).toBe(200)
    const before = await cluster.counts()
    for (const app of apps.slice(1)) {
      const again = await app.inject({
        url: '/api/me',
        headers: { cookie: stateCookie, ...codeHeaders(code, state) },
      })
      expect(again.statusCode).toBe(200)
      expect(again.cookies.find((c) => c.name === 'wxauth_sid')?.value).toBe(
        first.cookies.find((c) => c.name === 'wxauth_sid')?.value,
      )
    }
    expect(delta(before, await cluster.counts())).toEqual({})
  })

  it('gives every joined request on every instance the same transient failure, cached for none', async () => {
    await cluster.control('latency', { ms: 150 })
    const { browser, code, state } = await freshCode(apps[1]!)
    const stateCookie = browser.cookieHeader()
    // -1: WeChat busy. The simulator consumes the code, as WeChat may have.
    await cluster.control('fail', { endpoint: EXCHANGE, mode: 'errcode', errcode: -1 })
    const before = await cluster.counts()
    const responses = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        apps[i % apps.length]!.inject({
          url: '/api/me',
          headers: { cookie: stateCookie, ...codeHeaders(code, state) },
        }),
      ),
    )
    expect(responses.map((r) => r.json<{ code: string }>().code)).toEqual(
      Array(9).fill('WECHAT_UNAVAILABLE'),
    )
    expect(delta(before, await cluster.counts())).toEqual({ [EXCHANGE]: 1 })
    // Not cached: a retry exchanges again, and WeChat says the code was used.
    const retry = await apps[2]!.inject({
      url: '/api/me',
      headers: { cookie: stateCookie, ...codeHeaders(code, state) },
    })
    expect(retry.statusCode).toBe(401)
    expect(retry.json()).toMatchObject({ code: 'CODE_USED' })
    expect(delta(before, await cluster.counts())).toEqual({ [EXCHANGE]: 2 })
  })

  it('a crashed lock holder blocks a code only until its lock expires', async () => {
    const { browser, code, state } = await freshCode(apps[0]!)
    // Play an instance that took the lock and died: never released, never renewed.
    const lockKey = `${cluster.prefix}lock:code:${sha256Hex(code)}`
    expect(
      await apps[0]!.wechatAuth.stores.redis!.client.set(lockKey, 'crashed', 'PX', 400, 'NX'),
    ).toBe('OK')
    const before = await cluster.counts()
    const started = Date.now()
    const response = await browser.get(apps[1]!, '/api/me', codeHeaders(code, state))
    expect(response.statusCode, response.body).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(delta(before, await cluster.counts())).toMatchObject({ [EXCHANGE]: 1 })
    expect(await apps[0]!.wechatAuth.stores.redis!.client.exists(lockKey)).toBe(0)
  })

  it("refuses a stolen code with the thief's own state on another instance (403, victim unharmed)", async () => {
    const victim = await freshCode(apps[0]!)
    const ok = await victim.browser.get(apps[0]!, '/api/me', codeHeaders(victim.code, victim.state))
    expect(ok.statusCode).toBe(200)
    const thief = cluster.browser()
    const { url } = await cluster.startLogin(apps[2]!, thief)
    const thiefState = new URL(url).searchParams.get('state')!
    const stolen = await thief.get(apps[2]!, '/api/me', codeHeaders(victim.code, thiefState))
    expect(stolen.statusCode).toBe(403)
    expect(stolen.json()).toMatchObject({ code: 'STATE_MISMATCH' })
    expect(thief.cookies.has('wxauth_sid')).toBe(false)
    expect((await victim.browser.get(apps[1]!, '/api/me')).statusCode).toBe(200)
  })

  it('releases the lock after every exchange and keeps the outcome 5 minutes', async () => {
    const { browser, code, state } = await freshCode(apps[2]!)
    expect((await browser.get(apps[2]!, '/api/me', codeHeaders(code, state))).statusCode).toBe(200)
    const redis = apps[0]!.wechatAuth.stores.redis!.client
    const hash = sha256Hex(code)
    expect(await redis.exists(`${cluster.prefix}lock:code:${hash}`)).toBe(0)
    const ttl = await redis.pttl(`${cluster.prefix}code-outcome:${hash}`)
    expect(ttl).toBeGreaterThan(5 * 60_000 - 10_000)
    expect(ttl).toBeLessThanOrEqual(5 * 60_000)
  })

  it('spends a state on one code across instances: another code with it is refused on any instance', async () => {
    const browser = cluster.browser()
    const { url } = await cluster.startLogin(apps[0]!, browser)
    // Two trips through WeChat with one authorize URL: two codes for one state.
    const first = await cluster.authorize(url, 'alice')
    const second = await cluster.authorize(url, 'alice')
    const stateCookie = browser.cookieHeader()
    const before = await cluster.counts()
    const ok = await apps[0]!.inject({
      url: '/api/me',
      headers: { cookie: stateCookie, ...codeHeaders(first.code, first.state) },
    })
    expect(ok.statusCode).toBe(200)
    const refused = await apps[1]!.inject({
      url: '/api/me',
      headers: { cookie: stateCookie, ...codeHeaders(second.code, second.state) },
    })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().code).toBe('STATE_MISMATCH')
    // The first code again, elsewhere (WeChat's duplicate callback): its cached outcome.
    const again = await apps[2]!.inject({
      url: '/api/me',
      headers: { cookie: stateCookie, ...codeHeaders(first.code, first.state) },
    })
    expect(again.statusCode).toBe(200)
    expect(delta(before, await cluster.counts())[EXCHANGE]).toBe(1)
    const spent = await apps[0]!.wechatAuth.stores.redis!.client.get(
      `${cluster.prefix}state-used:${sha256Hex(first.state)}`,
    )
    expect(spent).toBe(sha256Hex(first.code))
  })

  it('resumes on another instance a sign-in WeChat already answered (userinfo failed on the first)', async () => {
    await cluster.control('fail', { endpoint: USERINFO, mode: 'http500', times: 3 })
    const { browser, code, state } = await freshCode(apps[0]!, 'emoji')
    const stateCookie = browser.cookieHeader()
    const before = await cluster.counts()
    const first = await apps[0]!.inject({
      url: '/api/me',
      headers: { cookie: stateCookie, ...codeHeaders(code, state) },
    })
    expect(first.statusCode).toBe(503)
    const retry = await apps[1]!.inject({
      url: '/api/me',
      headers: { cookie: stateCookie, ...codeHeaders(code, state) },
    })
    expect(retry.statusCode, retry.body).toBe(200)
    expect(delta(before, await cluster.counts())[EXCHANGE]).toBe(1)
    // Kept sealed while needed, gone once the outcome is cached.
    const redis = apps[0]!.wechatAuth.stores.redis!.client
    expect(await redis.exists(`${cluster.prefix}code-token:${sha256Hex(code)}`)).toBe(0)
  })
})
