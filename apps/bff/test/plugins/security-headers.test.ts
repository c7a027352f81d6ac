/**
 * Issue #12.9: the SPA was served with no Content-Security-Policy and could be framed. Every
 * response now carries helmet's headers with a policy the built SPA passes (the browser e2e suite
 * fails on any violation: apps/web/e2e/support/browser.ts).
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inlineHashes } from '@wxauth/fastify'
import { build, type TestContext } from '../helper.js'

/** The first frame's inline style, as the built index.html carries one. */
const INLINE_STYLE = 'body{background:#ededed}'
const INLINE_STYLE_HASH = `'sha256-${createHash('sha256').update(INLINE_STYLE).digest('base64')}'`

let dir: string
let ctx: TestContext
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxauth-csp-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><style>${INLINE_STYLE}</style><div id="app"></div>`,
  )
  ctx = await build({ env: { STATIC_DIR: dir } })
})
afterAll(async () => {
  await ctx?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** A CSP header as directive → sources. */
function directives(header: unknown): Record<string, string[]> {
  return Object.fromEntries(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  )
}

describe('security headers', () => {
  it("allow the page's own inline style by its hash, and nothing else inline", async () => {
    const csp = directives((await ctx.app.inject('/')).headers['content-security-policy'])
    expect(csp['style-src']).toEqual(["'self'", INLINE_STYLE_HASH])
    expect(csp['script-src']).not.toContain("'unsafe-inline'")
    expect(
      inlineHashes('<script src="/a.js"></script><script>x()</script><style></style>'),
    ).toEqual({
      styles: [],
      scripts: [`'sha256-${createHash('sha256').update('x()').digest('base64')}'`],
    })
  })

  it('give the SPA a Content-Security-Policy: own scripts + the JS-SDK, no framing, no inline script', async () => {
    const response = await ctx.app.inject('/')
    expect(response.statusCode).toBe(200)
    const csp = directives(response.headers['content-security-policy'])
    expect(csp['default-src']).toEqual(["'self'"])
    expect(csp['script-src']).toEqual(["'self'", 'https://res.wx.qq.com'])
    expect(csp['script-src-attr']).toEqual(["'none'"])
    expect(csp['style-src']).toEqual(["'self'", INLINE_STYLE_HASH])
    expect(csp['object-src']).toEqual(["'none'"])
    expect(csp['frame-ancestors']).toEqual(["'none'"])
    expect(csp['connect-src']).toEqual(["'self'"])
    // Avatars from WeChat's CDN, data: images, and the simulator's origin in development.
    expect(csp['img-src']).toEqual(
      expect.arrayContaining(["'self'", 'data:', 'https://*.qlogo.cn', ctx.mockUrl]),
    )
    expect(csp['upgrade-insecure-requests']).toBeUndefined()
    expect(response.headers['x-frame-options']).toBe('DENY')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['referrer-policy']).toBe('no-referrer')
    // Over plain http, no HSTS (browsers would ignore it, and it would pin localhost).
    expect(response.headers['strict-transport-security']).toBeUndefined()
  })

  it('are on API answers too', async () => {
    const response = await ctx.app.inject('/api/me')
    expect(response.statusCode).toBe(401)
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(response.headers['x-frame-options']).toBe('DENY')
  })

  it('add HSTS and upgrade-insecure-requests once PUBLIC_URL is https', async () => {
    const https = await build({
      env: { STATIC_DIR: dir, PUBLIC_URL: 'https://h5.example.com' },
      options: { publicUrl: 'https://h5.example.com' },
    })
    try {
      const response = await https.app.inject('/')
      expect(response.headers['strict-transport-security']).toBe('max-age=31536000')
      expect(directives(response.headers['content-security-policy'])).toHaveProperty(
        'upgrade-insecure-requests',
      )
    } finally {
      await https.close()
    }
  })
})
