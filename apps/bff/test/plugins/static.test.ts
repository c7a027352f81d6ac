import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, type TestContext } from '../helper.js'

const INDEX = '<!doctype html><title>wxauth</title><div id="app"></div>'
let dir: string
let ctx: TestContext

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxauth-static-'))
  const dist = join(dir, 'dist')
  mkdirSync(join(dist, 'assets'), { recursive: true })
  writeFileSync(join(dist, 'index.html'), INDEX)
  writeFileSync(join(dist, 'assets', 'index-Bx7Yq2.js'), 'console.log(1)')
  writeFileSync(join(dist, 'favicon.ico'), 'icon')
  // A file beside the served root that no URL may reach.
  writeFileSync(join(dir, 'outside.txt'), 'SECRET-OUTSIDE-ROOT')
  mkdirSync(join(dir, 'mp'))
  writeFileSync(join(dir, 'mp', 'MP_verify_AbC123xyz.txt'), 'AbC123xyz')
  ctx = await build({ env: { STATIC_DIR: dist, MP_VERIFY_DIR: join(dir, 'mp') } })
})
afterAll(async () => {
  await ctx?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the built SPA', () => {
  it('serves index.html at / with no-cache and no-referrer', async () => {
    const response = await ctx.app.inject('/')
    expect(response.statusCode).toBe(200)
    expect(response.body).toBe(INDEX)
    expect(response.headers['content-type']).toMatch(/^text\/html/)
    expect(response.headers['cache-control']).toBe('no-cache')
    expect(response.headers['referrer-policy']).toBe('no-referrer')
  })

  it('falls back to index.html for history-mode routes, with or without the WeChat query', async () => {
    for (const url of ['/activity', '/me/profile', '/activity?code=abc&state=def']) {
      const response = await ctx.app.inject(url)
      expect(response.statusCode, url).toBe(200)
      expect(response.body).toBe(INDEX)
    }
  })

  it('serves hashed assets with a long immutable cache, other files with no-cache', async () => {
    const asset = await ctx.app.inject('/assets/index-Bx7Yq2.js')
    expect(asset.statusCode).toBe(200)
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    const icon = await ctx.app.inject('/favicon.ico')
    expect(icon.statusCode).toBe(200)
    expect(icon.headers['cache-control']).toBe('no-cache')
  })

  it('answers 404 (not index.html) for a missing file and for unknown API paths', async () => {
    for (const url of [
      '/assets/missing-123.js',
      '/api/nope',
      '/api',
      '/healthz/x',
      '/robots.txt',
    ]) {
      const response = await ctx.app.inject(url)
      expect(response.statusCode, url).toBe(404)
      expect(response.json().code).toBe('NOT_FOUND')
    }
  })
})

describe('@fastify/static', () => {
  it('is out of the advisory range (GHSA-83w8-p2f5-377r, GHSA-423g-23ch-w7c6: fixed in 10.1.3)', () => {
    const require = createRequire(import.meta.url)
    const { version } = JSON.parse(
      readFileSync(require.resolve('@fastify/static/package.json'), 'utf8'),
    ) as { version: string }
    const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number)
    expect(major * 1e6 + minor * 1e3 + patch, version).toBeGreaterThanOrEqual(10_001_003)
  })

  it('serves nothing outside the root through dot segments, encoded or not', async () => {
    for (const url of [
      '/assets/../../outside.txt',
      '/assets/%2e%2e/%2e%2e/outside.txt',
      '/assets/..%2f..%2foutside.txt',
      '/assets/.%2e/.%2e/outside.txt',
      '//outside.txt',
      '/./assets/./../../outside.txt',
    ]) {
      const response = await ctx.app.inject(url)
      expect(response.body, url).not.toContain('SECRET-OUTSIDE-ROOT')
      expect(response.statusCode, url).toBeLessThan(500)
    }
  })
})

describe('MP_verify_*.txt', () => {
  it('serves the domain-check file from MP_VERIFY_DIR as a real text file', async () => {
    const response = await ctx.app.inject('/MP_verify_AbC123xyz.txt')
    expect(response.statusCode).toBe(200)
    expect(response.body).toBe('AbC123xyz')
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
  })

  it('answers 404 for a verify file that does not exist, never the SPA', async () => {
    const response = await ctx.app.inject('/MP_verify_Nope42.txt')
    expect(response.statusCode).toBe(404)
    expect(response.body).not.toContain('<!doctype html>')
  })

  it('does not serve anything outside its folder', async () => {
    const response = await ctx.app.inject('/MP_verify_..%2F..%2Fetc%2Fpasswd.txt')
    expect(response.statusCode).toBe(404)
  })
})

describe('without a built SPA', () => {
  it('serves the API only', async () => {
    const apiOnly = await build()
    try {
      expect((await apiOnly.app.inject('/')).statusCode).toBe(404)
      expect((await apiOnly.app.inject('/activity')).statusCode).toBe(404)
      expect((await apiOnly.app.inject('/healthz')).statusCode).toBe(200)
    } finally {
      await apiOnly.close()
    }
  })
})
