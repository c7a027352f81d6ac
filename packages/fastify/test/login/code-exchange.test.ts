/**
 * The once-only code exchange (docs/architecture.md#the-code-is-exchanged-once), end to end over the simulator: single-flight,
 * the outcome cache, state checks, scope upgrades, snapshot guests, profile freshness, and upstream
 * faults leaving nothing half-written.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { build, codeHeaders, type TestContext } from '../helper.js'

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

/** Rows in the app's database. */
function tableCount(table: 'users' | 'sessions' | 'orders'): Promise<number> {
  return ctx.count(table)
}

describe('one exchange per code', () => {
  it('30 concurrent business requests with one code: one sns/oauth2/access_token, 30 successes, one session', async () => {
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code, state } = await ctx.authorize(url, 'alice')
    const cookie = browser.cookieHeader()
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        ctx.app.inject({
          url: i % 2 === 0 ? '/api/me' : '/api/orders',
          headers: { cookie, ...codeHeaders(code, state) },
        }),
      ),
    )
    expect(responses.map((r) => r.statusCode)).toEqual(Array(30).fill(200))
    const sids = new Set(
      responses.map((r) => r.cookies.find((c) => c.name === 'wxauth_sid')?.value),
    )
    expect(sids.size).toBe(1)
    expect([...sids][0]).toBeTruthy()
    const counts = await ctx.counts()
    expect(counts['sns/oauth2/access_token']).toBe(1)
    expect(counts['sns/userinfo']).toBe(1)
    expect(await tableCount('sessions')).toBe(1)
  })

  it('rejects the same code in another browser (no state cookie) without calling WeChat', async () => {
    const { code, state } = await ctx.login('alice')
    const other = await ctx.browser().get('/api/me', codeHeaders(code, state))
    expect(other.statusCode).toBe(403)
    expect(other.json().code).toBe('STATE_MISMATCH')
    // Even with a state cookie of its own.
    const thief = ctx.browser()
    const own = await ctx.startLogin(thief)
    const withOwnCookie = await thief.get('/api/me', codeHeaders(code, own.state))
    expect(withOwnCookie.statusCode).toBe(403)
    expect((await ctx.counts())['sns/oauth2/access_token']).toBe(1)
  })

  it('refuses to let another state join an exchange in flight', async () => {
    const owner = ctx.browser()
    const { url } = await ctx.startLogin(owner)
    const { code, state } = await ctx.authorize(url, 'alice')
    const thief = ctx.browser()
    const own = await ctx.startLogin(thief)
    await ctx.control('latency', { ms: 300 })
    const [mine, theirs] = await Promise.all([
      owner.get('/api/me', codeHeaders(code, state)),
      new Promise((r) => setTimeout(r, 50)).then(() =>
        thief.get('/api/me', codeHeaders(code, own.state)),
      ),
    ])
    await ctx.control('latency', { ms: 0 })
    expect(mine.statusCode).toBe(200)
    expect(theirs.statusCode).toBe(403)
    expect(theirs.json().code).toBe('STATE_MISMATCH')
    expect(thief.cookies.has('wxauth_sid')).toBe(false)
  })

  it('reuses the outcome for a repeat in the same browser (a reload that still carries the code)', async () => {
    const { browser, code, state, me } = await ctx.login('alice')
    const again = await browser.get('/api/me', codeHeaders(code, state))
    expect(again.statusCode).toBe(200)
    expect(again.json()).toEqual(me)
    expect((await ctx.counts())['sns/oauth2/access_token']).toBe(1)
  })

  it('caches a definitive failure: 40029 once, CODE_INVALID every time, one call', async () => {
    await ctx.control('fail', {
      endpoint: 'sns/oauth2/access_token',
      mode: 'errcode',
      errcode: 40029,
    })
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code, state } = await ctx.authorize(url)
    for (let i = 0; i < 3; i++) {
      const response = await browser.get('/api/me', codeHeaders(code, state))
      expect(response.statusCode).toBe(401)
      expect(response.json()).toMatchObject({ statusCode: 401, code: 'CODE_INVALID' })
    }
    expect((await ctx.counts())['sns/oauth2/access_token']).toBe(1)
  })

  it('maps 40163 to CODE_USED', async () => {
    await ctx.control('fail', {
      endpoint: 'sns/oauth2/access_token',
      mode: 'errcode',
      errcode: 40163,
    })
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code, state } = await ctx.authorize(url)
    const response = await browser.get('/api/me', codeHeaders(code, state))
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('CODE_USED')
  })

  it('does not cache a timeout; the retry finds the code consumed and answers CODE_USED', async () => {
    await ctx.control('fail', { endpoint: 'sns/oauth2/access_token', mode: 'timeout' })
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code, state } = await ctx.authorize(url)
    const first = await browser.get('/api/me', codeHeaders(code, state))
    expect(first.statusCode).toBe(503)
    expect(first.json()).toMatchObject({ statusCode: 503, code: 'WECHAT_UNAVAILABLE' })
    const retry = await browser.get('/api/me', codeHeaders(code, state))
    expect(retry.statusCode).toBe(401)
    expect(retry.json().code).toBe('CODE_USED')
    expect((await ctx.counts())['sns/oauth2/access_token']).toBe(2)
    expect(await tableCount('sessions')).toBe(0)
  })
})

describe('state', () => {
  it('answers 403 STATE_MISMATCH for a state that differs from the cookie, with no WeChat call', async () => {
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code } = await ctx.authorize(url)
    const response = await browser.get('/api/me', codeHeaders(code, 'SomeOtherState42'))
    expect(response.statusCode).toBe(403)
    expect(response.json()).toMatchObject({ statusCode: 403, code: 'STATE_MISMATCH' })
    expect((await ctx.counts())['sns/oauth2/access_token']).toBeUndefined()
  })

  it('answers 403 STATE_MISMATCH when the state cookie is missing', async () => {
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code, state } = await ctx.authorize(url)
    browser.cookies.delete('wxauth_state')
    const response = await browser.get('/api/me', codeHeaders(code, state))
    expect(response.statusCode).toBe(403)
    expect((await ctx.counts())['sns/oauth2/access_token']).toBeUndefined()
  })

  it('refuses a state cookie that was tampered with', async () => {
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code, state } = await ctx.authorize(url)
    browser.cookies.set('wxauth_state', `${state}.forgedsignature`)
    const response = await browser.get('/api/me', codeHeaders(code, state))
    expect(response.statusCode).toBe(403)
  })

  it('answers 400 for a code without a state', async () => {
    const browser = ctx.browser()
    const response = await browser.get('/api/me', { 'x-wechat-code': 'abc123' })
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('VALIDATION_ERROR')
  })
})

describe('malformed input', () => {
  it.each([
    ['a code with spaces', { 'x-wechat-code': 'a b c', 'x-wechat-state': 'abc' }],
    ['a unicode code', { 'x-wechat-code': '代码', 'x-wechat-state': 'abc' }],
    ['a unicode state', { 'x-wechat-code': 'abc', 'x-wechat-state': 'état' }],
    ['a huge code', { 'x-wechat-code': 'x'.repeat(64 * 1024), 'x-wechat-state': 'abc' }],
    ['a huge state', { 'x-wechat-code': 'abc', 'x-wechat-state': 'A'.repeat(64 * 1024) }],
    ['an empty code', { 'x-wechat-code': '', 'x-wechat-state': 'abc' }],
  ])('answers 400, not 500, for %s', async (_name, headers) => {
    const response = await ctx.browser().get('/api/me', headers)
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_ERROR' })
  })

  it('treats a garbage or huge session cookie as no session', async () => {
    for (const cookie of [
      'wxauth_sid=garbage',
      `wxauth_sid=${'x'.repeat(8000)}`,
      'wxauth_sid=%E0%A4%A',
      'wxauth_sid=会话',
    ]) {
      const response = await ctx.app.inject({ url: '/api/me', headers: { cookie } })
      expect(response.statusCode).toBe(401)
      expect(response.json().code).toBe('AUTH_REQUIRED')
    }
  })

  it('answers 400, not 500, to malformed and unicode headers over real HTTP', async () => {
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' })
    try {
      const { connect } = await import('node:net')
      const raw = (request: Buffer) =>
        new Promise<string>((resolve, reject) => {
          const socket = connect(Number(new URL(address).port), '127.0.0.1', () =>
            socket.end(request),
          )
          let data = ''
          socket.on('data', (d) => (data += d.toString('latin1')))
          socket.on('end', () => resolve(data))
          socket.on('error', reject)
        })
      const unicode = await raw(
        Buffer.concat([
          Buffer.from('GET /api/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-WeChat-Code: '),
          Buffer.from('代码', 'utf8'),
          Buffer.from('\r\nX-WeChat-State: abc\r\n\r\n'),
        ]),
      )
      expect(unicode).toMatch(/^HTTP\/1\.1 400 /)
      const huge = await raw(
        Buffer.from(
          `GET /api/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-WeChat-Code: ${'x'.repeat(20_000)}\r\n\r\n`,
        ),
      )
      expect(huge).toMatch(/^HTTP\/1\.1 4\d\d /)
    } finally {
      await ctx.restart()
    }
  })
})

describe('sessions and scopes', () => {
  it('a code for the same person and scope while signed in keeps the session', async () => {
    const { browser } = await ctx.login('alice', 'snsapi_userinfo')
    const before = browser.cookies.get('wxauth_sid')
    const { url } = await ctx.startLogin(browser, 'snsapi_userinfo')
    const { code, state } = await ctx.authorize(url, 'alice')
    const response = await browser.get('/api/me', codeHeaders(code, state))
    expect(response.statusCode).toBe(200)
    expect(browser.cookies.get('wxauth_sid')).toBe(before)
    expect(await tableCount('sessions')).toBe(1)
  })

  it('a snsapi_userinfo code upgrades a snsapi_base session under a new id (issue #12.9)', async () => {
    const { browser, me } = await ctx.login('alice', 'snsapi_base')
    expect(me.user).toBeNull()
    expect(me.session.scope).toBe('snsapi_base')
    const before = browser.cookies.get('wxauth_sid')!
    const { url } = await ctx.startLogin(browser, 'snsapi_userinfo')
    const { code, state } = await ctx.authorize(url, 'alice')
    const upgraded = await browser.post('/api/orders', undefined, codeHeaders(code, state))
    expect(upgraded.statusCode).toBe(201)
    // A new id: one that leaked while the session was a base session cannot ride the upgrade.
    const after = browser.cookies.get('wxauth_sid')!
    expect(after).not.toBe(before)
    const stale = await ctx.app.inject({
      url: '/api/me',
      headers: { cookie: `wxauth_sid=${before}` },
    })
    expect(stale.statusCode).toBe(401)
    const current = (await browser.get('/api/me')).json()
    expect(current.session.scope).toBe('snsapi_userinfo')
    expect(current.user.nickname).toBe('陈小雨 Alice')
    // Nothing else lost: the same session row (its expiry kept), and the web tokens moved with it
    // (sealed to the new id, so the profile refresh can still use them).
    expect(current.session.expiresAt).toBe(me.session.expiresAt)
    expect(await tableCount('sessions')).toBe(1)
    expect((await browser.post('/api/me/refresh')).statusCode).toBe(200)
    // The orders written with the upgraded session are the user's.
    expect((await browser.get('/api/orders')).statusCode).toBe(200)
  })

  it('WeChat’s duplicate callback of the upgrade code, on the old cookie, lands on the new session', async () => {
    const { browser } = await ctx.login('alice', 'snsapi_base')
    const oldCookie = browser.cookieHeader()
    const { url } = await ctx.startLogin(browser, 'snsapi_userinfo')
    const { code, state } = await ctx.authorize(url, 'alice')
    const withState = browser.cookieHeader()
    const first = await ctx.app.inject({
      url: '/api/me',
      headers: { cookie: withState, ...codeHeaders(code, state) },
    })
    expect(first.statusCode).toBe(200)
    const second = await ctx.app.inject({
      url: '/api/me',
      headers: { cookie: withState, ...codeHeaders(code, state) },
    })
    expect(second.statusCode).toBe(200)
    const sid = (r: typeof first) => r.cookies.find((c) => c.name === 'wxauth_sid')?.value
    expect(sid(second)).toBe(sid(first))
    expect(oldCookie).not.toContain(sid(first)!)
    expect((await ctx.counts())['sns/oauth2/access_token']).toBe(2)
  })

  it('a code for another person replaces the session', async () => {
    const { browser } = await ctx.login('alice')
    const before = browser.cookies.get('wxauth_sid')
    const { url } = await ctx.startLogin(browser, 'snsapi_userinfo')
    const { code, state } = await ctx.authorize(url, 'emoji')
    const response = await browser.get('/api/me', codeHeaders(code, state))
    expect(response.json().user.nickname).toBe('🌸樱花酱🍡 Sakura ✨')
    expect(browser.cookies.get('wxauth_sid')).not.toBe(before)
  })

  it('a base-scope login of a known user gets the stored profile with one WeChat call', async () => {
    await ctx.login('emoji', 'snsapi_userinfo')
    await ctx.control('reset')
    const { me } = await ctx.login('emoji', 'snsapi_base')
    expect(me.user?.nickname).toBe('🌸樱花酱🍡 Sakura ✨')
    expect(me.session.scope).toBe('snsapi_base')
    expect(await ctx.counts()).toMatchObject({ 'sns/oauth2/access_token': 1 })
    expect((await ctx.counts())['sns/userinfo']).toBeUndefined()
  })

  it('a returning user within PROFILE_TTL costs one WeChat call; after it, two', async () => {
    await ctx.login('nounion', 'snsapi_userinfo')
    expect(await ctx.counts()).toMatchObject({ 'sns/oauth2/access_token': 1, 'sns/userinfo': 1 })
    await ctx.control('reset')
    await ctx.login('nounion', 'snsapi_userinfo')
    expect(await ctx.counts()).toEqual({
      'connect/oauth2/authorize': 1,
      'sns/oauth2/access_token': 1,
    })
    await ctx.control('reset')
    clockOffset = ctx.settings.profileTtlMs + 1000
    await ctx.login('nounion', 'snsapi_userinfo')
    expect(await ctx.counts()).toMatchObject({ 'sns/oauth2/access_token': 1, 'sns/userinfo': 1 })
    expect(await tableCount('users')).toBe(1)
  })
})

describe('snapshot-page visitors (快照页)', () => {
  it('get a read-only guest session; nothing about them is stored; writes answer SNAPSHOT_USER', async () => {
    const { browser, me } = await ctx.login('snapshot', 'snsapi_userinfo')
    expect(me.user).toBeNull()
    expect(me.session).toMatchObject({ snapshot: true, scope: 'snsapi_userinfo' })
    const lifetime = Date.parse(me.session.expiresAt) - Date.now()
    expect(lifetime).toBeLessThanOrEqual(30 * 60_000)
    expect(await ctx.counts()).toEqual({
      'connect/oauth2/authorize': 1,
      'sns/oauth2/access_token': 1,
    })
    expect(await tableCount('users')).toBe(0)

    const orders = await browser.get('/api/orders')
    expect(orders.statusCode).toBe(200)
    expect(orders.json()).toEqual({ openid: null, nickname: null, orders: [] })
    const join = await browser.post('/api/orders')
    expect(join.statusCode).toBe(403)
    expect(join.json()).toMatchObject({ statusCode: 403, code: 'SNAPSHOT_USER' })
    const refresh = await browser.post('/api/me/refresh')
    expect(refresh.statusCode).toBe(403)
    expect(refresh.json().code).toBe('SNAPSHOT_USER')
    expect(await tableCount('orders')).toBe(0)
  })
})

describe('upstream faults leave nothing half-written', () => {
  const faults = [
    { endpoint: 'sns/oauth2/access_token', mode: 'timeout' },
    { endpoint: 'sns/oauth2/access_token', mode: 'garbage' },
    { endpoint: 'sns/oauth2/access_token', mode: 'http500' },
    { endpoint: 'sns/oauth2/access_token', mode: 'errcode', errcode: -1 },
    { endpoint: 'sns/oauth2/access_token', mode: 'errcode', errcode: 45011 },
    { endpoint: 'sns/userinfo', mode: 'timeout', times: 3 },
    { endpoint: 'sns/userinfo', mode: 'garbage', times: 3 },
    { endpoint: 'sns/userinfo', mode: 'http500', times: 3 },
    { endpoint: 'sns/userinfo', mode: 'errcode', errcode: -1, times: 3 },
  ]
  const named = faults.map((f) => [`${f.endpoint} ${f.mode} ${f.errcode ?? ''}`.trim(), f] as const)
  it.each(named)(
    '%s → 503 WECHAT_UNAVAILABLE, no session, no user, no order',
    async (_name, fault) => {
      await ctx.control('fail', fault)
      const browser = ctx.browser()
      const { url } = await ctx.startLogin(browser, 'snsapi_userinfo')
      const { code, state } = await ctx.authorize(url, 'alice')
      const response = await browser.post('/api/orders', undefined, codeHeaders(code, state))
      expect(response.statusCode).toBe(503)
      expect(response.json()).toEqual({
        statusCode: 503,
        code: 'WECHAT_UNAVAILABLE',
        message: expect.any(String),
      })
      expect(response.headers['set-cookie'] ?? '').not.toContain('wxauth_sid=')
      expect(await tableCount('sessions')).toBe(0)
      expect(await tableCount('users')).toBe(0)
      expect(await tableCount('orders')).toBe(0)
    },
  )

  it('recovers from a transient userinfo failure on its own (bounded retries)', async () => {
    await ctx.control('fail', { endpoint: 'sns/userinfo', mode: 'errcode', errcode: -1 })
    const { me } = await ctx.login('alice', 'snsapi_userinfo')
    expect(me.user?.nickname).toBe('陈小雨 Alice')
    expect((await ctx.counts())['sns/userinfo']).toBe(2)
  })

  it('resumes a sign-in whose userinfo failed after WeChat consumed the code: no second exchange', async () => {
    // More failures than the client's retries: the first attempt ends in 503, nothing written.
    await ctx.control('fail', { endpoint: 'sns/userinfo', mode: 'http500', times: 3 })
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code, state } = await ctx.authorize(url, 'alice')
    const first = await browser.get('/api/me', codeHeaders(code, state))
    expect(first.statusCode).toBe(503)
    expect(first.json().code).toBe('WECHAT_UNAVAILABLE')
    expect(await tableCount('sessions')).toBe(0)
    // A code thief with a state of its own cannot ride the kept answer…
    const thief = ctx.browser()
    const own = await ctx.startLogin(thief)
    expect((await thief.get('/api/me', codeHeaders(code, own.state))).statusCode).toBe(403)
    // …and the user's retry (same code, same state) completes from it: WeChat asked once.
    const retry = await browser.get('/api/me', codeHeaders(code, state))
    expect(retry.statusCode).toBe(200)
    expect(retry.json().user.nickname).toBe('陈小雨 Alice')
    const counts = await ctx.counts()
    expect(counts['sns/oauth2/access_token']).toBe(1)
    expect(counts['sns/userinfo']).toBe(4)
    expect(await tableCount('sessions')).toBe(1)
  })

  it('40125 (wrong AppSecret) → 500 WECHAT_CONFIG_ERROR, logged at error level without the secret', async () => {
    await ctx.control('fail', {
      endpoint: 'sns/oauth2/access_token',
      mode: 'errcode',
      errcode: 40125,
    })
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code, state } = await ctx.authorize(url)
    const response = await browser.get('/api/me', codeHeaders(code, state))
    expect(response.statusCode).toBe(500)
    expect(response.json()).toMatchObject({ statusCode: 500, code: 'WECHAT_CONFIG_ERROR' })
    const line = ctx.logs.find((l) => l.msg === 'WeChat rejected the app configuration')
    expect(line).toMatchObject({ level: 50, wechat: { errcode: 40125, kind: 'config' } })
    expect(JSON.stringify(line)).not.toContain(ctx.settings.secret)
  })
})

describe('deny', () => {
  it('a cancelled consent (state only, no code) leaves the user signed out: 401, no WeChat call', async () => {
    await ctx.control('consent', { action: 'deny', denyMode: 'state-only' })
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser, 'snsapi_userinfo')
    const callback = await fetch(url, { redirect: 'manual' })
    expect(callback.status).toBe(302)
    const back = new URL(callback.headers.get('location')!)
    expect(back.searchParams.has('code')).toBe(false)
    const state = back.searchParams.get('state')!
    const response = await browser.get('/api/me', { 'x-wechat-state': state })
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('AUTH_REQUIRED')
    expect((await ctx.counts())['sns/oauth2/access_token']).toBeUndefined()
  })

  it('the default denial shows WeChat’s page and never comes back', async () => {
    await ctx.control('consent', { action: 'deny' })
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser, 'snsapi_userinfo')
    const callback = await fetch(url, { redirect: 'manual' })
    expect(callback.status).toBe(200)
    expect((await browser.get('/api/me')).statusCode).toBe(401)
  })
})
