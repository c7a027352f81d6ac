/**
 * Distributed mode, Redis going away mid-test (a crash: SIGKILL) and coming back: routes that need
 * Redis answer 503 SERVICE_UNAVAILABLE through the one error handler (no crash, no unhandled
 * rejection: Vitest fails the file on one), readiness reports which store is down, routes that do
 * not need Redis keep working, a code presented during the outage is not consumed, and once Redis
 * is back every instance recovers by itself with the sessions made before (Redis persists them in its
 * append-only file).
 */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  codeHeaders,
  delta,
  eventually,
  requireServices,
  startCluster,
  startServices,
  type Cluster,
  type Services,
} from './cluster.js'

const enabled = requireServices(['redis', 'postgres'])

describe.skipIf(!enabled)('distributed mode through a Redis restart (2 instances)', () => {
  let services: Services
  let cluster: Cluster
  let a: FastifyInstance
  let b: FastifyInstance

  beforeAll(async () => {
    services = await startServices()
    cluster = await startCluster(services)
    ;[a, b] = cluster.apps as [FastifyInstance, FastifyInstance]
  })
  afterAll(async () => {
    await cluster?.close()
    await services?.stop()
  })

  it('answers 503 while Redis is down, recovers when it returns, and keeps the sessions made before', async () => {
    const alice = await cluster.login({ persona: 'alice', start: a, finish: b })
    const emoji = await cluster.login({ persona: 'emoji', start: b, finish: a })
    // A login started before the outage, finished during it.
    const pending = cluster.browser()
    const { url } = await cluster.startLogin(a, pending)
    const { code, state } = await cluster.authorize(url, 'follower')

    await services.redis.stop({ crash: true })

    for (const app of [a, b]) {
      const me = await alice.browser.get(app, '/api/me')
      expect(me.statusCode).toBe(503)
      expect(me.json()).toEqual({
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'The service is temporarily unavailable; please try again',
      })
      const ready = await app.inject('/readyz')
      expect(ready.statusCode).toBe(503)
      expect(ready.json()).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        status: 'unavailable',
        checks: { database: 'ok', redis: 'down' },
      })
      expect((await app.inject('/healthz')).statusCode).toBe(200)
      // Starting a login needs no store.
      expect(
        (await cluster.browser().get(app, '/api/auth/authorize-url?returnTo=%2F')).statusCode,
      ).toBe(200)
    }
    expect((await emoji.browser.post(b, '/api/auth/logout')).statusCode).toBe(503)
    await expect(a.wechatAuth.wechat.getStableAccessToken()).rejects.toThrow(/Redis/)

    // The code cannot take the lock: WeChat is never asked, so the code is not used up.
    const before = await cluster.counts()
    const during = await pending.get(b, '/api/me', codeHeaders(code, state))
    expect(during.statusCode).toBe(503)
    expect(delta(before, await cluster.counts())).toEqual({})

    await services.redis.restart()
    for (const app of [a, b]) {
      await eventually(async () => (await app.inject('/readyz')).statusCode === 200)
    }

    expect((await alice.browser.get(a, '/api/me')).json()).toEqual(alice.me)
    expect((await emoji.browser.get(b, '/api/me')).json()).toEqual(emoji.me)
    const after = await pending.get(a, '/api/me', codeHeaders(code, state))
    expect(after.statusCode, after.body).toBe(200)
    expect(after.json()).toMatchObject({ user: { nickname: '老张' } })
    expect((await emoji.browser.post(a, '/api/auth/logout')).statusCode).toBe(204)
    expect((await emoji.browser.get(b, '/api/me')).statusCode).toBe(401)
  })

  it('logged the outage and the recovery once per connection, never the Redis URL', async () => {
    const lost = cluster.logs.filter((l) => l.msg === 'redis connection lost; reconnecting')
    // Two connections (commands, pub/sub) per instance.
    expect(lost).toHaveLength(4)
    // Ready at boot and again after the restart.
    expect(cluster.logs.filter((l) => l.msg === 'redis ready')).toHaveLength(8)
    expect(JSON.stringify(cluster.logs)).not.toContain(services.redis.url)
  })
})
