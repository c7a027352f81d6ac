/**
 * Distributed mode, the account-wide access token (pain-points P1-2): cached in Redis with its expiry,
 * fetched by one instance at a time under a Redis lock, refreshed before expiry, and on 40001/42001
 * invalidated only while the cached value is still the one that failed (compare-and-delete), then
 * fetched once. The clients are driven directly (`app.wechatAuth.wechat`), as the routes that need the token do.
 */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_APP, openidFor } from '@wxauth/mock-wechat'
import { tokenCacheKey } from '@wxauth/wechat'
import {
  delta,
  requireServices,
  startCluster,
  startServices,
  type Cluster,
  type Services,
} from './cluster.js'

const STABLE_TOKEN = 'cgi-bin/stable_token'
const USER_INFO = 'cgi-bin/user/info'
const TICKET = 'cgi-bin/ticket/getticket'
const FOLLOWER = openidFor('follower', DEFAULT_APP.appid)

const enabled = requireServices(['redis', 'postgres'])

describe.skipIf(!enabled)('distributed global token (3 instances)', () => {
  let services: Services
  let cluster: Cluster
  let apps: FastifyInstance[]
  /** The BFF instances' shared clock offset (WeChat's is moved with /__mock/clock). */
  let offsetMs = 0

  beforeAll(async () => {
    services = await startServices()
    cluster = await startCluster(services, {
      instances: 3,
      options: { now: () => Date.now() + offsetMs },
    })
    apps = cluster.apps
  })
  afterAll(async () => {
    await cluster?.close()
    await services?.stop()
  })

  /** `n` concurrent callers, spread over the instances. */
  function callers(n: number): Promise<string[]> {
    return Promise.all(
      Array.from({ length: n }, (_, i) =>
        apps[i % apps.length]!.wechatAuth.wechat.getStableAccessToken(),
      ),
    )
  }

  async function cached(app: FastifyInstance) {
    return app.wechatAuth.stores.coordination.tokenCache.get(tokenCacheKey(DEFAULT_APP.appid))
  }

  it('200 concurrent callers across the instances: one upstream stable_token call', async () => {
    await cluster.control('latency', { ms: 100 })
    const before = await cluster.counts()
    const tokens = await callers(200)
    await cluster.control('latency', { ms: 0 })
    expect(new Set(tokens).size).toBe(1)
    expect(delta(before, await cluster.counts())).toEqual({ [STABLE_TOKEN]: 1 })
    // Cached in Redis with its expiry (7200 s from when the fetch started).
    const entry = await cached(apps[2]!)
    expect(entry?.value).toBe(tokens[0])
    expect(entry!.expiresAt - (Date.now() + offsetMs)).toBeGreaterThan(7_100_000)
    const ttl = await apps[0]!.wechatAuth.stores.redis!.client.pttl(
      `${cluster.prefix}${tokenCacheKey(DEFAULT_APP.appid)}`,
    )
    expect(ttl).toBeGreaterThan(7_100_000)
    // And served from there afterwards.
    const again = await callers(30)
    expect(new Set(again)).toEqual(new Set(tokens))
    expect(delta(before, await cluster.counts())).toEqual({ [STABLE_TOKEN]: 1 })
  })

  it('two instances meeting 40001 with the same token: one invalidates, one refetch, both succeed', async () => {
    const [a, b] = apps as [FastifyInstance, FastifyInstance]
    const old = await a.wechatAuth.wechat.getStableAccessToken()
    // Someone force-refreshed the account's token (a leak drill): the cached one is dead at once.
    const forced = await fetch(`${cluster.mockUrl}/cgi-bin/stable_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credential',
        appid: DEFAULT_APP.appid,
        secret: DEFAULT_APP.secret,
        force_refresh: true,
      }),
    })
    expect(forced.status).toBe(200)
    const before = await cluster.counts()

    const [infoA, infoB] = await Promise.all([
      a.wechatAuth.wechat.getFollowerInfo(FOLLOWER),
      b.wechatAuth.wechat.getFollowerInfo(FOLLOWER),
    ])
    expect(infoA).toMatchObject({ subscribe: 1, openid: FOLLOWER })
    expect(infoB).toMatchObject({ subscribe: 1, openid: FOLLOWER })
    const calls = delta(before, await cluster.counts())
    expect(calls[STABLE_TOKEN]).toBe(1)
    // Each instance: one call with the dead token, one retry with the new one.
    expect(calls[USER_INFO]).toBe(4)
    const fresh = (await cached(b))!.value
    expect(fresh).not.toBe(old)
    expect(await a.wechatAuth.wechat.getStableAccessToken()).toBe(fresh)
  })

  it('an instance holding an OLD failing token never deletes the newer cached one', async () => {
    const [a, , c] = apps as [FastifyInstance, FastifyInstance, FastifyInstance]
    const current = await a.wechatAuth.wechat.getStableAccessToken()
    const before = await cluster.counts()
    // c's business call failed with a token that has since been replaced.
    await c.wechatAuth.wechat.invalidateAccessToken(`${current}-stale`)
    expect(
      await c.wechatAuth.stores.coordination.tokenCache.deleteIfEquals(
        tokenCacheKey(DEFAULT_APP.appid),
        'stale',
      ),
    ).toBe(false)
    expect((await cached(a))?.value).toBe(current)
    expect(await callers(20)).toEqual(Array(20).fill(current))
    expect(delta(before, await cluster.counts())).toEqual({})
    // The matching token is deleted, once.
    await c.wechatAuth.wechat.invalidateAccessToken(current)
    expect(await cached(a)).toBeNull()
    expect(
      await c.wechatAuth.stores.coordination.tokenCache.deleteIfEquals(
        tokenCacheKey(DEFAULT_APP.appid),
        current,
      ),
    ).toBe(false)
  })

  it('refreshes before expiry under the lock: one fetch for every instance', async () => {
    const first = await apps[0]!.wechatAuth.wechat.getStableAccessToken()
    // 200 s before expiry: inside the client's 5-minute margin, and WeChat renews the stable token
    // in its last 5 minutes.
    offsetMs += 7_000_000
    await cluster.control('clock', { advanceSeconds: 7_000 })
    const before = await cluster.counts()
    const tokens = await callers(90)
    expect(new Set(tokens).size).toBe(1)
    expect(tokens[0]).not.toBe(first)
    expect(delta(before, await cluster.counts())).toEqual({ [STABLE_TOKEN]: 1 })
  })

  it('shares the jsapi ticket: one getticket call for every instance', async () => {
    const before = await cluster.counts()
    const tickets = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        apps[i % apps.length]!.wechatAuth.wechat.getJsapiTicket(),
      ),
    )
    expect(new Set(tickets).size).toBe(1)
    expect(delta(before, await cluster.counts())).toEqual({ [TICKET]: 1 })
  })
})
