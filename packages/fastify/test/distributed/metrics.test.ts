/**
 * Distributed mode, metrics: each instance counts what it did and serves it on a listener of its
 * own; Prometheus sums the instances. Nothing is shared through Redis: the one exchange of a code
 * is counted by the instance that ran it, the requests the others served from it as their reuses.
 */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scrape } from '../metrics/scrape.js'
import {
  codeHeaders,
  requireServices,
  startCluster,
  startServices,
  type Cluster,
  type Services,
} from './cluster.js'

const enabled = requireServices(['redis', 'postgres'])

describe.skipIf(!enabled)('distributed metrics (2 instances)', () => {
  let services: Services
  let cluster: Cluster

  beforeAll(async () => {
    services = await startServices()
    cluster = await startCluster(services, { instances: 2 })
  })
  afterAll(async () => {
    await cluster?.close()
    await services?.stop()
  })

  it('gives each instance a listener and a registry of its own', () => {
    const [a, b] = cluster.apps
    expect(a!.wechatAuth.metrics!.url).not.toBe(b!.wechatAuth.metrics!.url)
    expect(a!.wechatAuth.metrics!.registry).not.toBe(b!.wechatAuth.metrics!.registry)
  })

  it('20 requests with one code over both instances: 1 exchange and 19 reuses, summed', async () => {
    const [a, b] = cluster.apps as [FastifyInstance, FastifyInstance]
    const browser = cluster.browser()
    const { url } = await cluster.startLogin(a, browser)
    const { code, state } = await cluster.authorize(url)
    const cookie = browser.cookieHeader()
    const before = await Promise.all(cluster.apps.map((app) => scrape(app)))
    // WeChat answering slowly keeps every request in flight while the one exchange runs.
    await cluster.control('latency', { ms: 150 })
    try {
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? a : b).inject({
            url: '/api/me',
            headers: { cookie, ...codeHeaders(code, state) },
          }),
        ),
      )
      expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200))
    } finally {
      await cluster.control('latency', { ms: 0 })
    }
    const after = await Promise.all(cluster.apps.map((app) => scrape(app)))
    const moved = (name: string, labels?: Record<string, string>) =>
      after.map((scraped, i) => scraped.value(name, labels) - before[i]!.value(name, labels))
    const exchanges = moved('wxauth_code_exchanges_total', { result: 'ok' })
    const reuses = moved('wxauth_code_reuses_total')
    expect(exchanges.reduce((x, y) => x + y)).toBe(1)
    expect(reuses.reduce((x, y) => x + y)).toBe(19)
    // The instance that did not exchange served all of its 10 requests from the other's outcome.
    const other = exchanges.indexOf(0)
    expect(reuses[other]).toBe(10)
    expect(moved('wxauth_sessions_created_total').reduce((x, y) => x + y)).toBe(1)
    expect(
      moved('wxauth_wechat_requests_total', { endpoint: 'sns/oauth2/access_token' }).reduce(
        (x, y) => x + y,
      ),
    ).toBe(1)
  })

  it('keeps no metric in Redis', async () => {
    const redis = cluster.apps[0]!.wechatAuth.stores.redis!.client
    const keys = await redis.keys(`${cluster.prefix}*`)
    expect(keys.length).toBeGreaterThan(0)
    expect(keys.filter((key) => /metric|wxauth_|_total/.test(key))).toEqual([])
  })
})
