import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { STATE_PATTERN } from '@wxauth/shared'
import { build, codeHeaders, PUBLIC_URL, type TestContext } from '../helper.js'

let ctx: TestContext
beforeAll(async () => {
  ctx = await build()
})
afterAll(async () => {
  await ctx?.close()
})
beforeEach(async () => {
  await ctx.control('reset')
})

describe('GET /api/auth/authorize-url', () => {
  it('returns WeChat’s authorize URL in the exact parameter order, with a fresh state', async () => {
    const browser = ctx.browser()
    const response = await browser.get(
      '/api/auth/authorize-url?returnTo=/activity%3Ftab%3D1&scope=snsapi_userinfo',
    )
    expect(response.statusCode).toBe(200)
    const { url, state } = response.json<{ url: string; state: string }>()
    expect(state).toMatch(/^[A-Za-z0-9]{32}$/)
    expect(STATE_PATTERN.test(state)).toBe(true)
    const redirect = encodeURIComponent(`${PUBLIC_URL}/activity?tab=1`)
    expect(url).toBe(
      `${ctx.mockUrl}/connect/oauth2/authorize?appid=${ctx.settings.appId}&redirect_uri=${redirect}` +
        `&response_type=code&scope=snsapi_userinfo&state=${state}#wechat_redirect`,
    )
    expect(response.headers['cache-control']).toBe('no-store')
  })

  it('binds the state to the browser with a signed, httpOnly, SameSite=Lax, 10-minute cookie', async () => {
    const response = await ctx.browser().get('/api/auth/authorize-url?returnTo=/')
    const { state } = response.json<{ state: string }>()
    const setCookies = [response.headers['set-cookie']].flat().map(String)
    const setCookie = setCookies.find((c) => c.startsWith('wxauth_state=')) ?? ''
    // state.issuedAt, then the signature: the issue time is signed too (its age is checked).
    expect(setCookie).toMatch(new RegExp(`^wxauth_state=${state}\\.[0-9]{13}\\.[A-Za-z0-9+/]+;`))
    expect(setCookie).toContain('Max-Age=600')
    expect(setCookie).toContain('Path=/')
    expect(setCookie).toContain('HttpOnly')
    expect(setCookie).toContain('SameSite=Lax')
    expect(setCookie).not.toContain('Secure')
  })

  it('defaults to the silent snsapi_base scope and gives a new state each time', async () => {
    const browser = ctx.browser()
    const a = (await browser.get('/api/auth/authorize-url')).json<{ url: string; state: string }>()
    const b = (await browser.get('/api/auth/authorize-url')).json<{ url: string; state: string }>()
    expect(a.url).toContain('&scope=snsapi_base&')
    expect(a.url).toContain(`redirect_uri=${encodeURIComponent(`${PUBLIC_URL}/`)}&`)
    expect(a.state).not.toBe(b.state)
  })

  it.each([
    '//evil.com',
    'https://evil.com',
    '/\\evil.com',
    'javascript:alert(1)',
    '/\\\\evil.com',
    'evil.com',
  ])('rejects the open redirect %j with 400 and sets no cookie', async (returnTo) => {
    const response = await ctx
      .browser()
      .get(`/api/auth/authorize-url?returnTo=${encodeURIComponent(returnTo)}`)
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_ERROR' })
    expect(response.headers['set-cookie']).toBeUndefined()
  })

  it('rejects an unknown scope and an overlong returnTo with 400', async () => {
    const browser = ctx.browser()
    const scope = await browser.get('/api/auth/authorize-url?scope=snsapi_login')
    expect(scope.statusCode).toBe(400)
    expect(scope.json().code).toBe('VALIDATION_ERROR')
    const long = await browser.get(`/api/auth/authorize-url?returnTo=/${'a'.repeat(2000)}`)
    expect(long.statusCode).toBe(400)
  })
})

describe('Secure cookies', () => {
  it('are Secure when PUBLIC_URL is https', async () => {
    const https = await build({ options: { publicUrl: 'https://h5.example.com' } })
    try {
      const response = await https.browser().get('/api/auth/authorize-url?returnTo=/me')
      expect(String(response.headers['set-cookie'])).toContain('Secure')
      expect(response.json().url).toContain(encodeURIComponent('https://h5.example.com/me'))
    } finally {
      await https.close()
    }
  })
})

describe('POST /api/auth/session', () => {
  it('logs in with { code, state } and sets the session cookie', async () => {
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser, 'snsapi_userinfo')
    const { code, state } = await ctx.authorize(url, 'alice')
    const response = await browser.post('/api/auth/session', { code, state })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.user).toMatchObject({ nickname: '陈小雨 Alice' })
    expect(body.session).toMatchObject({ scope: 'snsapi_userinfo', snapshot: false })
    const sid = response.cookies.find((c) => c.name === 'wxauth_sid')
    expect(sid).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    // The state cookie is spent.
    expect(browser.cookies.has('wxauth_state')).toBe(false)
    expect((await browser.get('/api/me')).statusCode).toBe(200)

    // The same call again (a double-submit) gets the same session, without a second exchange.
    const again = await browser.post('/api/auth/session', { code, state })
    expect(again.statusCode).toBe(200)
    expect((await ctx.counts())['sns/oauth2/access_token']).toBe(1)
  })

  it('is the same exchange as the headers: a code used by a business request is not exchanged again', async () => {
    const { browser, code, state } = await ctx.login('alice', 'snsapi_base')
    const response = await browser.post('/api/auth/session', { code, state })
    expect(response.statusCode).toBe(200)
    expect((await ctx.counts())['sns/oauth2/access_token']).toBe(1)
  })

  it('answers 403 STATE_MISMATCH for a wrong state, before calling WeChat', async () => {
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code } = await ctx.authorize(url)
    const response = await browser.post('/api/auth/session', { code, state: 'WrongState123' })
    expect(response.statusCode).toBe(403)
    expect(response.json()).toMatchObject({ statusCode: 403, code: 'STATE_MISMATCH' })
    expect((await ctx.counts())['sns/oauth2/access_token']).toBeUndefined()
  })

  it.each<[Record<string, string>, string]>([
    [{}, 'no fields'],
    [{ code: 'abc' }, 'no state'],
    [{ code: 'a b', state: 'abc' }, 'a code with a space'],
    [{ code: 'abc', state: 'ab-c' }, 'a state outside [A-Za-z0-9]'],
    [{ code: 'x'.repeat(129), state: 'abc' }, 'a code too long'],
  ])('answers 400 VALIDATION_ERROR for %j (%s)', async (body) => {
    const response = await ctx.browser().post('/api/auth/session', body)
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_ERROR' })
  })

  it('answers 400 for a body that is not JSON', async () => {
    const response = await ctx.browser().request({
      method: 'POST',
      url: '/api/auth/session',
      headers: { 'content-type': 'application/json' },
      payload: '{"code":',
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('VALIDATION_ERROR')
  })

  it('refuses a body over 4 KB before parsing it ({ code, state } is ~200 bytes)', async () => {
    const response = await ctx.browser().request({
      method: 'POST',
      url: '/api/auth/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ code: 'abc', state: 'abc', pad: 'x'.repeat(4096) }),
    })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ code: 'VALIDATION_ERROR' })
    expect((await ctx.counts())['sns/oauth2/access_token']).toBeUndefined()
  })
})

describe('POST /api/auth/logout', () => {
  it('deletes the server-side session and clears the cookie', async () => {
    const { browser } = await ctx.login('alice')
    const stolen = browser.cookieHeader()
    const response = await browser.post('/api/auth/logout')
    expect(response.statusCode).toBe(204)
    expect(response.body).toBe('')
    expect(String(response.headers['set-cookie'])).toMatch(/^wxauth_sid=; Max-Age=0;/)
    expect(browser.cookies.has('wxauth_sid')).toBe(false)
    // A copy of the old cookie is worthless now.
    const replay = await ctx.app.inject({ url: '/api/me', headers: { cookie: stolen } })
    expect(replay.statusCode).toBe(401)
    expect(replay.json().code).toBe('AUTH_REQUIRED')
  })

  it('works without a session', async () => {
    const response = await ctx.browser().post('/api/auth/logout')
    expect(response.statusCode).toBe(204)
  })

  it('does not let a replayed code resurrect the session', async () => {
    const { browser, code, state } = await ctx.login('alice')
    await browser.post('/api/auth/logout')
    const replay = await browser.get('/api/me', codeHeaders(code, state))
    expect(replay.statusCode).toBe(403)
    expect(replay.json().code).toBe('STATE_MISMATCH')
  })
})
