/**
 * The metrics listener: its own port (loopback by default), off unless asked for, never on the
 * public port; one registry per plugin instance, default process metrics included, open to the
 * app's own metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Fastify from 'fastify'
import { Counter } from 'prom-client'
import wechatAuth, { WechatAuthOptionsError, resolveOptions } from '../../src/index.js'
import { METRICS, seriesNames } from '../../src/metrics/definitions.js'
import { build, testOptions, type TestContext } from '../helper.js'
import { listen, scrape } from './scrape.js'

let ctx: TestContext
beforeAll(async () => {
  ctx = await build({ options: { metrics: { port: 0 } } })
})
afterAll(async () => {
  await ctx?.close()
})

describe('the metrics listener', () => {
  it('serves GET /metrics on 127.0.0.1 in the text format, every wxauth metric and the process ones', async () => {
    const url = ctx.app.wechatAuth.metrics?.url
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+\/metrics$/)
    const { text, samples } = await scrape(ctx.app)
    for (const definition of Object.values(METRICS)) {
      expect(text).toContain(`# TYPE ${definition.name} ${definition.type}`)
    }
    const names = new Set(samples.map((s) => s.name))
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(names.has(name), name).toBe(true)
    }
    // Known label values start at zero, so increase() sees the first event.
    expect(samples).toContainEqual({
      name: 'wxauth_code_exchanges_total',
      labels: { result: 'wechat_config_error' },
      value: 0,
    })
    expect(seriesNames(METRICS.wechatDuration)).toEqual([
      'wxauth_wechat_request_duration_seconds_bucket',
      'wxauth_wechat_request_duration_seconds_sum',
      'wxauth_wechat_request_duration_seconds_count',
    ])
  })

  it('answers 404 for any other path and 405 for another method, and never caches', async () => {
    const url = new URL(ctx.app.wechatAuth.metrics!.url!)
    expect((await fetch(new URL('/', url))).status).toBe(404)
    expect((await fetch(new URL('/api/me', url))).status).toBe(404)
    const post = await fetch(url, { method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    const head = await fetch(url, { method: 'HEAD' })
    expect(head.status).toBe(200)
    const get = await fetch(`${url.href}?x=1`)
    expect(get.status).toBe(200)
    expect(get.headers.get('cache-control')).toBe('no-store')
    await get.text()
  })

  it('is not on the public port: GET /metrics there is 404', async () => {
    const base = await listen(ctx.app)
    const response = await fetch(`${base}/metrics`)
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' })
    expect((await ctx.app.inject({ url: '/metrics' })).statusCode).toBe(404)
  })

  it('takes the app’s own metrics on the plugin’s registry', async () => {
    const registry = ctx.app.wechatAuth.metrics!.registry
    const orders = new Counter({
      name: 'orders_placed_total',
      help: 'Orders placed',
      registers: [registry],
    })
    orders.inc(3)
    const { samples } = await scrape(ctx.app)
    expect(samples).toContainEqual({ name: 'orders_placed_total', labels: {}, value: 3 })
  })

  it('keeps two apps in one process apart: a registry and a port each', async () => {
    const other = await build({ options: { metrics: { port: 0 } } })
    try {
      expect(other.app.wechatAuth.metrics!.registry).not.toBe(ctx.app.wechatAuth.metrics!.registry)
      expect(other.app.wechatAuth.metrics!.url).not.toBe(ctx.app.wechatAuth.metrics!.url)
      const before = await scrape(ctx.app)
      await other.login('alice')
      const after = await scrape(ctx.app)
      expect(after.value('wxauth_code_exchanges_total')).toBe(
        before.value('wxauth_code_exchanges_total'),
      )
      expect((await scrape(other.app)).value('wxauth_code_exchanges_total')).toBe(1)
    } finally {
      await other.close()
    }
  })

  it('closes with the app', async () => {
    const other = await build({ options: { metrics: { port: 0 } } })
    const url = other.app.wechatAuth.metrics!.url!
    expect((await fetch(url)).status).toBe(200)
    await other.close()
    await expect(fetch(url)).rejects.toThrow()
  })

  it('fails the boot when its port is taken', async () => {
    const port = Number(new URL(ctx.app.wechatAuth.metrics!.url!).port)
    const app = Fastify()
    await app.register(
      wechatAuth,
      testOptions({ databaseUrl: 'sqlite::memory:', metrics: { port } }),
    )
    await expect(app.ready()).rejects.toThrow(/EADDRINUSE/)
    await app.close()
  })
})

describe('metrics off', () => {
  it('is the default: no registry, no listener, nothing counted', async () => {
    const plain = await build({ options: { metrics: undefined } })
    try {
      expect(plain.app.wechatAuth.metrics).toBeNull()
      await plain.login('alice')
      expect((await plain.app.inject({ url: '/metrics' })).statusCode).toBe(404)
    } finally {
      await plain.close()
    }
  })
})

describe('the metrics option', () => {
  it('defaults the host to 127.0.0.1', () => {
    expect(resolveOptions(testOptions({ metrics: { port: 9464 } })).metrics).toEqual({
      port: 9464,
      host: '127.0.0.1',
    })
    expect(resolveOptions(testOptions({ metrics: { port: 0, host: '0.0.0.0' } })).metrics).toEqual({
      port: 0,
      host: '0.0.0.0',
    })
    expect(resolveOptions(testOptions({ metrics: undefined })).metrics).toBeNull()
  })

  it('names a bad port or host, or an unknown key, at registration', () => {
    for (const metrics of [
      { port: 70000 },
      { port: -1 },
      { port: 1.5 },
      { port: 1, host: 'a b' },
      { port: 1, path: '/m' },
    ]) {
      let thrown: unknown
      try {
        resolveOptions(testOptions({ metrics: metrics as never }))
      } catch (error) {
        thrown = error
      }
      expect(thrown, JSON.stringify(metrics)).toBeInstanceOf(WechatAuthOptionsError)
      expect((thrown as WechatAuthOptionsError).problems).toEqual([
        expect.stringMatching(/^metrics must be \{ port: a TCP port 0 to 65535/),
      ])
    }
  })
})
