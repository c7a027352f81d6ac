/**
 * The login funnel as an operator sees it: authorize URLs → real exchanges → sessions, and the
 * single-flight at work (reuses). Over real HTTP: the app on a port of its own, the simulator on
 * another, the metrics listener on a third.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { codeHeaders, build, type TestContext } from '../helper.js'
import { cookiesOf, delta, listen, scrape } from './scrape.js'

let ctx: TestContext
let base: string
beforeAll(async () => {
  ctx = await build()
  base = await listen(ctx.app)
})
afterAll(async () => {
  await ctx?.close()
})

/** authorize-url over HTTP, then the simulator's consent: a code, its state and the state cookie. */
async function freshCode(
  scope = 'snsapi_userinfo',
  persona = 'alice',
  cookie = '',
): Promise<{ code: string; state: string; cookie: string }> {
  const start = await fetch(`${base}/api/auth/authorize-url?returnTo=%2F&scope=${scope}`, {
    headers: cookie ? { cookie } : {},
  })
  expect(start.status).toBe(200)
  const { url } = (await start.json()) as { url: string }
  const { code, state } = await ctx.authorize(url, persona)
  const stateCookie = cookiesOf(start)
  return { code, state, cookie: [cookie, stateCookie].filter(Boolean).join('; ') }
}

function me(cookie: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/api/me`, { headers: { cookie, ...headers } })
}

describe('the login funnel', () => {
  it('a first login moves authorize URLs, exchanges{ok}, sessions and each WeChat call by exactly 1', async () => {
    const before = await scrape(ctx.app)
    const { code, state, cookie } = await freshCode()
    const response = await me(cookie, codeHeaders(code, state))
    expect(response.status).toBe(200)
    const after = await scrape(ctx.app)

    const moved = (name: string, labels?: Record<string, string>) =>
      delta(after, before, name, labels)
    expect(moved('wxauth_authorize_urls_total', { scope: 'snsapi_userinfo' })).toBe(1)
    expect(moved('wxauth_authorize_urls_total', { scope: 'snsapi_base' })).toBe(0)
    expect(moved('wxauth_code_exchanges_total', { result: 'ok' })).toBe(1)
    expect(moved('wxauth_code_exchanges_total')).toBe(1)
    expect(moved('wxauth_code_reuses_total')).toBe(0)
    expect(
      moved('wxauth_wechat_requests_total', {
        endpoint: 'sns/oauth2/access_token',
        errcode: '0',
      }),
    ).toBe(1)
    expect(moved('wxauth_wechat_requests_total', { endpoint: 'sns/userinfo', errcode: '0' })).toBe(
      1,
    )
    expect(moved('wxauth_wechat_requests_total')).toBe(2)
    expect(
      moved('wxauth_sessions_created_total', { scope: 'snsapi_userinfo', snapshot: 'false' }),
    ).toBe(1)
    expect(moved('wxauth_sessions_created_total')).toBe(1)
    expect(moved('wxauth_snapshot_visitors_total')).toBe(0)
    // The histogram saw both calls, each in the +Inf bucket and in _count.
    for (const endpoint of ['sns/oauth2/access_token', 'sns/userinfo']) {
      expect(moved('wxauth_wechat_request_duration_seconds_count', { endpoint })).toBe(1)
      expect(moved('wxauth_wechat_request_duration_seconds_bucket', { endpoint, le: '+Inf' })).toBe(
        1,
      )
      expect(moved('wxauth_wechat_request_duration_seconds_sum', { endpoint })).toBeGreaterThan(0)
    }
  })

  it('30 parallel requests with one code are 1 exchange and 29 reuses', async () => {
    const { code, state, cookie } = await freshCode()
    const before = await scrape(ctx.app)
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`${base}${i % 2 === 0 ? '/api/me' : '/api/orders'}`, {
          headers: { cookie, ...codeHeaders(code, state) },
        }),
      ),
    )
    expect(responses.map((r) => r.status)).toEqual(Array(30).fill(200))
    const after = await scrape(ctx.app)
    expect(delta(after, before, 'wxauth_code_exchanges_total', { result: 'ok' })).toBe(1)
    expect(delta(after, before, 'wxauth_code_exchanges_total')).toBe(1)
    expect(delta(after, before, 'wxauth_code_reuses_total')).toBe(29)
    expect(delta(after, before, 'wxauth_sessions_created_total')).toBe(1)
    expect(
      delta(after, before, 'wxauth_wechat_requests_total', {
        endpoint: 'sns/oauth2/access_token',
      }),
    ).toBe(1)
  })

  it('counts a reload with the same code (a cached outcome) and the code re-sent with its session as reuses', async () => {
    const { code, state, cookie } = await freshCode()
    expect((await me(cookie, codeHeaders(code, state))).status).toBe(200)
    const before = await scrape(ctx.app)
    // The same code again from the same browser without the new session cookie (a reload that
    // lost the response), then with it (the SPA still sending the code).
    const reload = await me(cookie, codeHeaders(code, state))
    expect(reload.status).toBe(200)
    const withSession = await me(`${cookie}; ${cookiesOf(reload)}`, codeHeaders(code, state))
    expect(withSession.status).toBe(200)
    const after = await scrape(ctx.app)
    expect(delta(after, before, 'wxauth_code_reuses_total')).toBe(2)
    expect(delta(after, before, 'wxauth_code_exchanges_total')).toBe(0)
    expect(delta(after, before, 'wxauth_sessions_created_total')).toBe(0)
  })

  it('counts a code presented with another state as a state mismatch, never as an exchange', async () => {
    const { code, state, cookie } = await freshCode()
    expect((await me(cookie, codeHeaders(code, state))).status).toBe(200)
    const before = await scrape(ctx.app)
    // Another browser: no state cookie at all.
    expect((await me('', codeHeaders(code, state))).status).toBe(403)
    // Another browser with a login of its own: the code is bound to the first state.
    const thief = await freshCode()
    const stolen = await me(thief.cookie, codeHeaders(code, thief.state))
    expect(stolen.status).toBe(403)
    const after = await scrape(ctx.app)
    expect(delta(after, before, 'wxauth_state_mismatches_total', { reason: 'cookie' })).toBe(1)
    expect(delta(after, before, 'wxauth_state_mismatches_total', { reason: 'code_bound' })).toBe(1)
    expect(delta(after, before, 'wxauth_code_exchanges_total')).toBe(0)
    expect(delta(after, before, 'wxauth_code_reuses_total')).toBe(0)
  })

  it('counts snapshot-page guests as snapshot sessions and snapshot visitors', async () => {
    const before = await scrape(ctx.app)
    const { code, state, cookie } = await freshCode('snsapi_userinfo', 'snapshot')
    expect((await me(cookie, codeHeaders(code, state))).status).toBe(200)
    const after = await scrape(ctx.app)
    expect(
      delta(after, before, 'wxauth_sessions_created_total', {
        scope: 'snsapi_userinfo',
        snapshot: 'true',
      }),
    ).toBe(1)
    expect(delta(after, before, 'wxauth_snapshot_visitors_total')).toBe(1)
    expect(delta(after, before, 'wxauth_code_exchanges_total', { result: 'ok' })).toBe(1)
    // A snapshot token never gets userinfo.
    expect(delta(after, before, 'wxauth_wechat_requests_total', { endpoint: 'sns/userinfo' })).toBe(
      0,
    )
  })

  it('counts a scope upgrade in place as an exchange, not as a new session', async () => {
    const base1 = await freshCode('snsapi_base')
    const first = await me(base1.cookie, codeHeaders(base1.code, base1.state))
    expect(first.status).toBe(200)
    const session = cookiesOf(first)
    const before = await scrape(ctx.app)
    const upgrade = await freshCode('snsapi_userinfo', 'alice', session)
    const upgraded = await me(upgrade.cookie, codeHeaders(upgrade.code, upgrade.state))
    expect(upgraded.status).toBe(200)
    expect(((await upgraded.json()) as { session: { scope: string } }).session.scope).toBe(
      'snsapi_userinfo',
    )
    const after = await scrape(ctx.app)
    expect(delta(after, before, 'wxauth_code_exchanges_total', { result: 'ok' })).toBe(1)
    expect(delta(after, before, 'wxauth_sessions_created_total')).toBe(0)
  })
})
