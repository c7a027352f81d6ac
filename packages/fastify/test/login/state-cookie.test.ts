/**
 * Issue #12.5: the state cookie was `state.HMAC` with no time, so a state lived as long as someone
 * kept the cookie, and could start any number of exchanges. Now it carries its issue time under the
 * signature (10 minutes, checked on the server), each state is good for one exchange (the same code
 * again still joins its outcome), and over https the cookies carry the `__Host-` prefix.
 */
import { signerFactory } from '@fastify/cookie'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { STATE_TTL_MS } from '../../src/login/state-cookie.js'
import { COOKIE_SECRET, build, codeHeaders, type TestContext } from '../helper.js'

let ctx: TestContext
let clockOffset = 0
beforeAll(async () => {
  ctx = await build({ options: { now: () => Date.now() + clockOffset } })
})
afterAll(async () => {
  await ctx?.close()
})
beforeEach(async () => {
  clockOffset = 0
  await ctx.control('reset')
  await ctx.wipe()
})

const accessTokenCalls = async () => (await ctx.counts())['sns/oauth2/access_token'] ?? 0
const sign = (value: string) => signerFactory(COOKIE_SECRET).sign(value)

describe('the state’s age', () => {
  it('is checked on the server: 10 minutes after it was issued, the state is refused', async () => {
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code, state } = await ctx.authorize(url)
    clockOffset = STATE_TTL_MS + 1_000
    const response = await browser.get('/api/me', codeHeaders(code, state))
    expect(response.statusCode).toBe(403)
    expect(response.json().code).toBe('STATE_MISMATCH')
    expect(await accessTokenCalls()).toBe(0)
  })

  it('is fine just inside the 10 minutes', async () => {
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code, state } = await ctx.authorize(url)
    clockOffset = STATE_TTL_MS - 5_000
    expect((await browser.get('/api/me', codeHeaders(code, state))).statusCode).toBe(200)
  })

  it('cannot be extended by the client: the issue time is signed', async () => {
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code, state } = await ctx.authorize(url)
    const [value, , signature] = browser.cookies.get('wxauth_state')!.split('.')
    // A later issue time with the old signature…
    browser.cookies.set('wxauth_state', `${value}.${Date.now() + 3_600_000}.${signature}`)
    expect((await browser.get('/api/me', codeHeaders(code, state))).statusCode).toBe(403)
    expect(await accessTokenCalls()).toBe(0)
  })

  it('refuses an issue time far in the future even when signed, and the old format without one', async () => {
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code, state } = await ctx.authorize(url)
    browser.cookies.set('wxauth_state', sign(`${state}.${Date.now() + 3_600_000}`))
    expect((await browser.get('/api/me', codeHeaders(code, state))).statusCode).toBe(403)
    // The cookie as it was before issue #12: `state.HMAC`, no time.
    browser.cookies.set('wxauth_state', sign(state))
    expect((await browser.get('/api/me', codeHeaders(code, state))).statusCode).toBe(403)
    expect(await accessTokenCalls()).toBe(0)
  })
})

describe('one exchange per state', () => {
  /** One authorize URL followed twice: two codes for the same state, and the state cookie. */
  async function twoCodes() {
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const first = await ctx.authorize(url, 'alice')
    const second = await ctx.authorize(url, 'alice')
    return { cookie: browser.cookieHeader(), first, second }
  }
  const me = (cookie: string, code: string, state: string) =>
    ctx.app.inject({ url: '/api/me', headers: { cookie, ...codeHeaders(code, state) } })

  it('refuses a second, different code with a spent state (403), without calling WeChat', async () => {
    const { cookie, first, second } = await twoCodes()
    expect((await me(cookie, first.code, first.state)).statusCode).toBe(200)
    const refused = await me(cookie, second.code, second.state)
    expect(refused.statusCode).toBe(403)
    expect(refused.json().code).toBe('STATE_MISMATCH')
    expect(await accessTokenCalls()).toBe(1)
  })

  it('still answers the same code again (WeChat’s duplicate callback) with its outcome', async () => {
    const { cookie, first } = await twoCodes()
    const one = await me(cookie, first.code, first.state)
    const two = await me(cookie, first.code, first.state)
    expect([one.statusCode, two.statusCode]).toEqual([200, 200])
    expect(two.json()).toEqual(one.json())
    expect(await accessTokenCalls()).toBe(1)
  })

  it('spends the state even when its exchange failed: a definitive failure is final', async () => {
    const { cookie, first, second } = await twoCodes()
    await ctx.control('fail', {
      endpoint: 'sns/oauth2/access_token',
      mode: 'errcode',
      errcode: 40029,
    })
    expect((await me(cookie, first.code, first.state)).json().code).toBe('CODE_INVALID')
    expect((await me(cookie, second.code, second.state)).json().code).toBe('STATE_MISMATCH')
    expect(await accessTokenCalls()).toBe(1)
  })

  it('lets the same code retry after a transient failure (WeChat timed out)', async () => {
    const { cookie, first } = await twoCodes()
    await ctx.control('fail', { endpoint: 'sns/oauth2/access_token', mode: 'garbage' })
    expect((await me(cookie, first.code, first.state)).statusCode).toBe(503)
    expect((await me(cookie, first.code, first.state)).statusCode).toBe(200)
    expect(await accessTokenCalls()).toBe(2)
  })
})

describe('over https', () => {
  let https: TestContext
  beforeAll(async () => {
    https = await build({ options: { publicUrl: 'https://127.0.0.1:5173' } })
  })
  afterAll(async () => {
    await https?.close()
  })

  it('names every cookie with the __Host- prefix: Secure, Path=/, no Domain', async () => {
    const { browser, response } = await https.login('alice')
    expect([...browser.cookies.keys()].sort()).toEqual(['__Host-wxauth_bid', '__Host-wxauth_sid'])
    const start = await browser.get('/api/auth/authorize-url?returnTo=/')
    for (const set of [
      ...[start.headers['set-cookie']].flat(),
      ...[response.headers['set-cookie']].flat(),
    ]) {
      const line = String(set)
      if (!line.startsWith('__Host-') || /Max-Age=0/.test(line)) continue
      expect(line).toMatch(/; Path=\//)
      expect(line).toMatch(/; Secure/)
      expect(line).not.toMatch(/Domain=/i)
    }
    expect(start.cookies.map((c) => c.name)).toContain('__Host-wxauth_state')
  })

  it('keeps a session set under the old name, and moves it to the prefixed one', async () => {
    const { browser } = await https.login('alice')
    const sid = browser.cookies.get('__Host-wxauth_sid')!
    // A browser that logged in before the upgrade holds the unprefixed cookie.
    const legacy = await https.app.inject({
      url: '/api/me',
      headers: { cookie: `wxauth_sid=${sid}` },
    })
    expect(legacy.statusCode).toBe(200)
    const moved = legacy.cookies.find((c) => c.name === '__Host-wxauth_sid')
    expect(moved?.value).toBe(sid)
    expect(legacy.cookies.find((c) => c.name === 'wxauth_sid')).toMatchObject({ maxAge: 0 })
    // A prefixed cookie is not moved again.
    const current = await https.app.inject({
      url: '/api/me',
      headers: { cookie: `__Host-wxauth_sid=${sid}` },
    })
    expect(current.statusCode).toBe(200)
    expect(current.headers['set-cookie']).toBeUndefined()
  })

  it('logs out both names', async () => {
    const { browser } = await https.login('alice')
    const out = await browser.post('/api/auth/logout')
    const cleared = out.cookies.filter((c) => c.maxAge === 0).map((c) => c.name)
    expect(cleared.sort()).toEqual(['__Host-wxauth_sid', 'wxauth_sid'])
  })
})
