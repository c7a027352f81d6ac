import { describe, expect, it } from 'vitest'
import { DEFAULT_APP, PERSONA_IDS, openidFor } from '../../src/index.js'
import {
  APPID,
  RID_SUFFIX,
  SECRET,
  advance,
  authorize,
  codeFor,
  errorOf,
  exchange,
  expectErrcode,
  location,
  startMock,
} from '../helpers.js'

describe('GET /__mock/personas and /__mock/apps', () => {
  it('lists the personas with origin-relative avatars and per-app openids', async () => {
    const mock = await startMock()
    const answer = await mock.read('/__mock/personas')
    expect(answer.status).toBe(200)
    const personas = answer.body as Array<Record<string, unknown>>
    expect(personas.map((p) => p.id)).toEqual([...PERSONA_IDS])
    const byId = Object.fromEntries(personas.map((p) => [p.id, p]))
    expect(byId.alice).toMatchObject({
      id: 'alice',
      nickname: '陈小雨 Alice',
      headimgurl: `${mock.base}/mmopen/alice/132`,
      subscribed: false,
      snapshot: false,
      unionid: expect.stringMatching(/^o[A-Za-z0-9_-]{27}$/),
      openids: { [APPID]: expect.stringMatching(/^o[A-Za-z0-9_-]{27}$/) },
    })
    expect(byId.noavatar?.headimgurl).toBe('')
    expect(byId.nounion).not.toHaveProperty('unionid')
    expect(byId.follower).toMatchObject({ subscribed: true })
    expect(byId.snapshot).toMatchObject({ snapshot: true })
  })

  it('lists the apps without their secrets', async () => {
    const mock = await startMock()
    const answer = await mock.read('/__mock/apps')
    expect(answer.body).toEqual([
      expect.objectContaining({ appid: APPID, domains: DEFAULT_APP.domains }),
    ])
    expect(answer.text).not.toContain(SECRET)
  })
})

describe('POST /__mock/consent', () => {
  it('returns the resulting settings; omitted fields keep their value', async () => {
    const mock = await startMock()
    const first = await mock.control('/__mock/consent', { action: 'deny', denyMode: 'state-only' })
    expect(first.body).toEqual({ action: 'deny', persona: 'alice', denyMode: 'state-only' })
    const second = await mock.control('/__mock/consent', { action: 'allow', persona: 'emoji' })
    expect(second.body).toEqual({ action: 'allow', persona: 'emoji', denyMode: 'state-only' })
  })

  it.each([
    ['an unknown action', { action: 'maybe' }],
    ['an unknown persona', { action: 'allow', persona: 'mallory' }],
    ['an unknown denyMode', { action: 'deny', denyMode: 'redirect' }],
    ['an extra field', { action: 'allow', peronsa: 'emoji' }],
    ['no action', { persona: 'emoji' }],
  ])('rejects %s with 400 and changes nothing', async (_name, body) => {
    const mock = await startMock()
    const answer = await mock.control('/__mock/consent', body)
    expect(answer.status).toBe(400)
    expect(answer.body.message).toBeTypeOf('string')
    expect((await mock.read('/__mock/state')).body.consent).toEqual({
      action: 'page',
      persona: 'alice',
      denyMode: 'none',
    })
  })

  it('rejects a body that is not JSON with 400', async () => {
    const mock = await startMock()
    const response = await mock.fetch('/__mock/consent', undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"action":',
    })
    expect(response.status).toBe(400)
  })
})

describe('POST /__mock/fail', () => {
  it('errcode: answers the errcode with HTTP 200 and a realistic errmsg, and consumes the code', async () => {
    const mock = await startMock()
    const code = await codeFor(mock, 'alice')
    const queued = await mock.control('/__mock/fail', {
      endpoint: 'sns/oauth2/access_token',
      mode: 'errcode',
      errcode: -1,
    })
    expect(queued.status).toBe(200)
    expect(queued.body.queued).toEqual({
      endpoint: 'sns/oauth2/access_token',
      mode: 'errcode',
      errcode: -1,
      times: 1,
    })
    const failed = await exchange(mock, code)
    expectErrcode(failed, -1)
    expect(failed.body.errmsg).toMatch(/^system error rid: /)
    expect(failed.contentType).toBe('text/plain')
    expectErrcode(await exchange(mock, code), 40163)
  })

  it('fails the next `times` matching calls, then answers normally', async () => {
    const mock = await startMock()
    await mock.control('/__mock/fail', {
      endpoint: '/cgi-bin/token',
      mode: 'errcode',
      errcode: 45011,
      times: 2,
    })
    const token = () =>
      mock.api('/cgi-bin/token', { grant_type: 'client_credential', appid: APPID, secret: SECRET })
    expectErrcode(await token(), 45011)
    const second = await token()
    expectErrcode(second, 45011)
    expect(second.body.errmsg).toMatch(
      /^api minute-quota reach limit, must slower, retry next minute/,
    )
    expect((await token()).body.access_token).toBeTruthy()
  })

  it('timeout: holds the answer, drops the connection, and the code is consumed', async () => {
    const mock = await startMock({ timeoutHoldMs: 200 })
    const code = await codeFor(mock, 'alice')
    await mock.control('/__mock/fail', { endpoint: 'sns/oauth2/access_token', mode: 'timeout' })
    const started = Date.now()
    await expect(exchange(mock, code)).rejects.toThrow()
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)
    expectErrcode(await exchange(mock, code), 40163)
    const { calls } = (await mock.read('/__mock/calls')).body
    expect(calls.at(-2)).toMatchObject({ endpoint: 'sns/oauth2/access_token', fault: 'timeout' })
  })

  it('timeout: a held connection does not delay app.close()', async () => {
    const mock = await startMock({ timeoutHoldMs: 60_000 })
    await mock.control('/__mock/fail', { endpoint: 'sns/userinfo', mode: 'timeout' })
    const pending = mock.api('/sns/userinfo', { access_token: 'x', openid: 'y' }).catch((e) => e)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const started = Date.now()
    await mock.app.close()
    expect(Date.now() - started).toBeLessThan(2000)
    expect(await pending).toBeInstanceOf(Error)
  })

  it('garbage: HTTP 200 with a non-JSON body; the code is not consumed', async () => {
    const mock = await startMock()
    const code = await codeFor(mock, 'alice')
    await mock.control('/__mock/fail', { endpoint: 'sns/oauth2/access_token', mode: 'garbage' })
    const answer = await exchange(mock, code)
    expect(answer.status).toBe(200)
    expect(answer.body).toBeUndefined()
    expect(answer.text).toMatch(/^<html>/)
    expect((await exchange(mock, code)).body.access_token).toBeTruthy()
  })

  it('http500: HTTP 500; the code is not consumed', async () => {
    const mock = await startMock()
    const code = await codeFor(mock, 'alice')
    await mock.control('/__mock/fail', { endpoint: 'sns/oauth2/access_token', mode: 'http500' })
    const answer = await exchange(mock, code)
    expect(answer.status).toBe(500)
    expect(answer.body).toBeUndefined()
    expect((await exchange(mock, code)).body.access_token).toBeTruthy()
  })

  it('errcode on the authorize page renders that error page', async () => {
    const mock = await startMock()
    await mock.control('/__mock/fail', {
      endpoint: 'connect/oauth2/authorize',
      mode: 'errcode',
      errcode: 10004,
    })
    const html = await (await authorize(mock)).text()
    expect(errorOf(html)).toEqual({ errcode: '10004', key: 'account-banned' })
    expect(html).toContain('此公众号被封禁，错误码:10004')
    location(await authorize(mock, { scope: 'snsapi_base' }))
  })

  it.each([
    ['an unknown endpoint', { endpoint: 'sns/oauth2/nope', mode: 'errcode', errcode: -1 }],
    ['errcode mode without errcode', { endpoint: 'sns/auth', mode: 'errcode' }],
    ['an errcode with another mode', { endpoint: 'sns/auth', mode: 'timeout', errcode: -1 }],
    ['errcode 0', { endpoint: 'sns/auth', mode: 'errcode', errcode: 0 }],
    ['an unknown mode', { endpoint: 'sns/auth', mode: 'explode' }],
    ['times 0', { endpoint: 'sns/auth', mode: 'garbage', times: 0 }],
    ['a string errcode', { endpoint: 'sns/auth', mode: 'errcode', errcode: '40001' }],
    [
      'an API errcode on the authorize page',
      { endpoint: 'connect/oauth2/authorize', mode: 'errcode', errcode: 40001 },
    ],
  ])('rejects %s with 400 and queues nothing', async (_name, body) => {
    const mock = await startMock()
    const answer = await mock.control('/__mock/fail', body)
    expect(answer.status).toBe(400)
    expect((await mock.read('/__mock/state')).body.faults).toEqual([])
  })
})

describe('POST /__mock/latency', () => {
  it('delays every WeChat call by the given milliseconds', async () => {
    const mock = await startMock()
    expect((await mock.control('/__mock/latency', { ms: 150 })).body).toEqual({ latencyMs: 150 })
    const started = Date.now()
    await mock.api('/sns/auth', { access_token: 'x', openid: 'y' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
  })

  it.each([[{ ms: -1 }], [{ ms: '100' }], [{ ms: 1.5 }], [{}]])(
    'rejects %j with 400',
    async (body) => {
      const mock = await startMock()
      expect((await mock.control('/__mock/latency', body)).status).toBe(400)
      expect((await mock.read('/__mock/state')).body.latencyMs).toBe(0)
    },
  )
})

describe('POST /__mock/clock', () => {
  it('moves the simulated time forward', async () => {
    const mock = await startMock()
    const before = (await mock.read('/__mock/clock')).body
    expect(before.offsetSeconds).toBe(0)
    const after = await mock.control('/__mock/clock', { advanceSeconds: 7200 })
    expect(after.body.offsetSeconds).toBe(7200)
    expect(Date.parse(after.body.now) - Date.parse(before.now)).toBe(7200_000)
  })

  it.each([[{ advanceSeconds: -5 }], [{ advanceSeconds: '60' }], [{ seconds: 60 }]])(
    'rejects %j with 400',
    async (body) => {
      const mock = await startMock()
      expect((await mock.control('/__mock/clock', body)).status).toBe(400)
      expect((await mock.read('/__mock/clock')).body.offsetSeconds).toBe(0)
    },
  )
})

describe('POST /__mock/reset', () => {
  it('resets state, counters, consent mode, failures, latency and clock', async () => {
    const mock = await startMock({ authorizeRateLimitPerMinute: 2 })
    const code = await codeFor(mock, 'emoji')
    await mock.control('/__mock/consent', { action: 'deny', denyMode: 'state-only' })
    await mock.control('/__mock/fail', { endpoint: 'sns/auth', mode: 'garbage' })
    await mock.control('/__mock/latency', { ms: 5 })
    await advance(mock, 100)
    await authorize(mock) // second authorize this minute: the limit is reached

    const reset = await mock.fetch('/__mock/reset', undefined, { method: 'POST' })
    expect(reset.status).toBe(200)
    const state = (await mock.read('/__mock/state')).body
    expect(state).toMatchObject({
      consent: { action: 'page', persona: 'alice', denyMode: 'none' },
      latencyMs: 0,
      clock: { offsetSeconds: 0 },
      faults: [],
    })
    expect((await mock.read('/__mock/calls')).body).toEqual({ calls: [], counts: {} })
    expectErrcode(await exchange(mock, code), 40029)
    expect((await authorize(mock)).status).toBe(200) // rate limit window cleared too
  })

  it('accepts an empty JSON body', async () => {
    const mock = await startMock()
    expect((await mock.control('/__mock/reset')).status).toBe(200)
  })
})

describe('GET /__mock/calls', () => {
  it('logs endpoints without the leading slash, with counts, errcodes and masked credentials', async () => {
    const mock = await startMock()
    const code = await codeFor(mock, 'alice')
    const token = await exchange(mock, code)
    await exchange(mock, code)
    await mock.api('/sns/userinfo', {
      access_token: token.body.access_token,
      openid: token.body.openid,
    })
    const answer = await mock.read('/__mock/calls')
    const { calls, counts } = answer.body
    expect(counts).toEqual({
      'connect/oauth2/authorize': 1,
      'sns/oauth2/access_token': 2,
      'sns/userinfo': 1,
    })
    expect(calls.map((c: { endpoint: string }) => c.endpoint)).toEqual([
      'connect/oauth2/authorize',
      'sns/oauth2/access_token',
      'sns/oauth2/access_token',
      'sns/userinfo',
    ])
    expect(calls[1]).not.toHaveProperty('errcode')
    expect(calls[2].errcode).toBe(40163)
    expect(calls[1].params).toMatchObject({
      appid: APPID,
      secret: '***',
      code: `${code.slice(0, 4)}***`,
    })
    expect(Date.parse(calls[0].at)).not.toBeNaN()
    for (const secret of [SECRET, code, token.body.access_token, token.body.refresh_token]) {
      expect(answer.text).not.toContain(secret)
    }
  })

  it('logs stable_token body parameters masked too', async () => {
    const mock = await startMock()
    await mock.api('/cgi-bin/stable_token', undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: APPID, secret: SECRET }),
    })
    const answer = await mock.read('/__mock/calls')
    expect(answer.body.calls[0].params).toEqual({
      grant_type: 'client_credential',
      appid: APPID,
      secret: '***',
    })
    expect(answer.text).not.toContain(SECRET)
  })
})

describe('GET /__mock', () => {
  it('shows personas, switches and the call log on one page', async () => {
    const mock = await startMock()
    await codeFor(mock, 'alice')
    const response = await mock.fetch('/__mock')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await response.text()
    for (const id of PERSONA_IDS) expect(html).toContain(`<code>${id}</code>`)
    expect(html).toContain('data-endpoint="/__mock/consent"')
    expect(html).toContain('data-endpoint="/__mock/fail"')
    expect(html).toContain('data-endpoint="/__mock/reset"')
    expect(html).toContain('<code>connect/oauth2/authorize</code>')
    expect(html).not.toContain(SECRET)
    // The "try it" link is a well-formed authorize link for the default app.
    const tryLink = /href="(\/connect\/oauth2\/authorize\?[^"]+)"/.exec(html)?.[1] ?? ''
    const url = new URL(tryLink.replaceAll('&amp;', '&'), mock.base)
    expect(url.hash).toBe('#wechat_redirect')
    expect(url.searchParams.get('appid')).toBe(APPID)
  })

  it('shows the namespace chosen with ?namespace= and posts its forms there', async () => {
    const mock = await startMock({
      apps: [
        DEFAULT_APP,
        { appid: 'wxsuitea000000001', secret: 'a', domains: [], namespace: 'suite-a' },
      ],
    })
    const html = await (await mock.fetch('/__mock', { namespace: 'suite-a' })).text()
    expect(html).toContain('data-endpoint="/__mock/consent?namespace=suite-a"')
    expect(html).toMatch(
      /data-test="mock-namespaces">命名空间 <a href="\/__mock\?namespace=default">default<\/a> · <strong>suite-a<\/strong>/,
    )
  })

  it('redirects / to the control page', async () => {
    const mock = await startMock()
    const response = await mock.fetch('/')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/__mock')
  })

  it("points the try-it link at the app's first web-auth domain", async () => {
    const mock = await startMock()
    const html = await (await mock.fetch('/__mock')).text()
    expect(html).toContain(encodeURIComponent(`http://${DEFAULT_APP.domains[0]}/`))
  })

  it('escapes what it shows', async () => {
    const mock = await startMock({
      apps: [{ ...DEFAULT_APP, name: '<img src=x onerror=alert(1)>' }],
    })
    const html = await (await mock.fetch('/__mock')).text()
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })
})

describe('errmsg format', () => {
  it('ends every error with " rid: " and three groups of 8 hex digits', async () => {
    const mock = await startMock()
    const answer = await exchange(mock, 'nope')
    expect(answer.body.errmsg).toMatch(RID_SUFFIX)
    expect(answer.body.errmsg).toMatch(/^invalid code rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/)
    const again = await exchange(mock, 'nope')
    expect(again.body.errmsg).not.toBe(answer.body.errmsg) // a fresh rid per answer
  })
})

describe('DELETE /__mock/fail', () => {
  it('clears every queued failure', async () => {
    const mock = await startMock()
    await mock.control('/__mock/fail', { endpoint: 'sns/auth', mode: 'garbage', times: 3 })
    await mock.control('/__mock/fail', { endpoint: 'cgi-bin/token', mode: 'http500' })
    const cleared = await mock.remove('/__mock/fail')
    expect(cleared.body).toEqual({ cleared: 2, pending: [] })
    expect((await mock.read('/__mock/state')).body.faults).toEqual([])
  })

  it('clears the failures of one endpoint only', async () => {
    const mock = await startMock()
    await mock.control('/__mock/fail', { endpoint: 'sns/auth', mode: 'garbage' })
    await mock.control('/__mock/fail', { endpoint: 'cgi-bin/token', mode: 'http500' })
    const cleared = await mock.remove('/__mock/fail', { endpoint: 'sns/auth' })
    expect(cleared.body.cleared).toBe(1)
    expect(cleared.body.pending).toEqual([{ endpoint: 'cgi-bin/token', mode: 'http500', times: 1 }])
    const token = await mock.api('/cgi-bin/token', {
      grant_type: 'client_credential',
      appid: APPID,
      secret: SECRET,
    })
    expect(token.status).toBe(500)
  })

  it('rejects an unknown endpoint or field with 400 and clears nothing', async () => {
    const mock = await startMock()
    await mock.control('/__mock/fail', { endpoint: 'sns/auth', mode: 'garbage' })
    expect((await mock.remove('/__mock/fail', { endpoint: 'sns/nope' })).status).toBe(400)
    expect((await mock.remove('/__mock/fail', { endpont: 'sns/auth' })).status).toBe(400)
    expect((await mock.read('/__mock/state')).body.faults).toHaveLength(1)
  })
})

describe('POST /__mock/fail: appid and openid filters', () => {
  const OTHER = { appid: 'wx2222222222222222', secret: 'other', domains: ['127.0.0.1:5173'] }

  it('fails only the calls of the given appid', async () => {
    const mock = await startMock({ apps: [DEFAULT_APP, OTHER] })
    const queued = await mock.control('/__mock/fail', {
      endpoint: 'cgi-bin/token',
      mode: 'errcode',
      errcode: -1,
      appid: OTHER.appid,
    })
    expect(queued.body.queued).toMatchObject({ appid: OTHER.appid })
    const token = (appid: string, secret: string) =>
      mock.api('/cgi-bin/token', { grant_type: 'client_credential', appid, secret })
    expect((await token(APPID, SECRET)).body.access_token).toBeTruthy()
    expectErrcode(await token(OTHER.appid, OTHER.secret), -1)
  })

  it('fails only the calls about the given openid (named, or behind the code or token)', async () => {
    const mock = await startMock()
    await mock.control('/__mock/fail', {
      endpoint: 'sns/oauth2/access_token',
      mode: 'errcode',
      errcode: -1,
      openid: openidFor('emoji', APPID),
    })
    const alice = await exchange(mock, await codeFor(mock, 'alice'))
    expect(alice.body.openid).toBe(openidFor('alice', APPID))
    expectErrcode(await exchange(mock, await codeFor(mock, 'emoji')), -1)

    await mock.control('/__mock/fail', {
      endpoint: 'sns/userinfo',
      mode: 'garbage',
      openid: openidFor('alice', APPID),
    })
    const emoji = await exchange(mock, await codeFor(mock, 'emoji'))
    const info = await mock.api('/sns/userinfo', {
      access_token: emoji.body.access_token,
      openid: emoji.body.openid,
    })
    expect(info.body.nickname).toBeTruthy()
    const garbage = await mock.api('/sns/userinfo', {
      access_token: alice.body.access_token,
      openid: alice.body.openid,
    })
    expect(garbage.body).toBeUndefined()
  })
})

describe('POST /__mock/latency: rules per endpoint, appid and openid', () => {
  it('delays only the calls a rule selects, the most specific rule winning', async () => {
    const mock = await startMock()
    const set = await mock.control('/__mock/latency', { ms: 200, endpoint: 'sns/auth' })
    expect(set.body).toEqual({
      latencyMs: 0,
      rule: { endpoint: 'sns/auth', ms: 200 },
      rules: [{ endpoint: 'sns/auth', ms: 200 }],
    })
    const openid = openidFor('alice', APPID)
    await mock.control('/__mock/latency', { ms: 0, endpoint: 'sns/auth', openid })
    const timed = async (params: Record<string, string>) => {
      const started = Date.now()
      await mock.api('/sns/auth', params)
      return Date.now() - started
    }
    expect(await timed({ access_token: 'x', openid: 'o-someone-else' })).toBeGreaterThanOrEqual(190)
    expect(await timed({ access_token: 'x', openid })).toBeLessThan(150)
    const started = Date.now()
    await mock.api('/sns/userinfo', { access_token: 'x', openid: 'y' })
    expect(Date.now() - started).toBeLessThan(150)
  })

  it('rejects an unknown endpoint with 400', async () => {
    const mock = await startMock()
    expect((await mock.control('/__mock/latency', { ms: 5, endpoint: 'sns/x' })).status).toBe(400)
    expect((await mock.read('/__mock/state')).body.latencyRules).toEqual([])
  })
})

describe('DELETE /__mock/latency', () => {
  it('clears the default delay and every rule', async () => {
    const mock = await startMock()
    await mock.control('/__mock/latency', { ms: 50 })
    await mock.control('/__mock/latency', { ms: 80, appid: APPID })
    expect((await mock.remove('/__mock/latency')).body).toEqual({ latencyMs: 0, rules: [] })
    const state = (await mock.read('/__mock/state')).body
    expect(state).toMatchObject({ latencyMs: 0, latencyRules: [] })
  })
})

describe('POST /__mock/reset: one piece at a time', () => {
  it('resets only the clock with {"parts":["clock"]}', async () => {
    const mock = await startMock()
    const code = await codeFor(mock, 'emoji')
    await mock.control('/__mock/consent', { action: 'deny' })
    await advance(mock, 100)
    const reset = await mock.control('/__mock/reset', { parts: ['clock'] })
    expect(reset.body).toMatchObject({ reset: true, parts: ['clock'], clock: { offsetSeconds: 0 } })
    expect(reset.body.consent.action).toBe('deny')
    expect((await exchange(mock, code)).body.access_token).toBeTruthy()
  })

  it('resets only consent with {"parts":["consent"]}', async () => {
    const mock = await startMock()
    await mock.control('/__mock/consent', { action: 'allow', persona: 'emoji' })
    await advance(mock, 100)
    const reset = await mock.control('/__mock/reset', { parts: ['consent'] })
    expect(reset.body.consent).toEqual({ action: 'page', persona: 'alice', denyMode: 'none' })
    expect(reset.body.clock.offsetSeconds).toBe(100)
  })

  it('resets only the rate limits and daily quotas with {"parts":["rateLimits"]}', async () => {
    const mock = await startMock({ authorizeRateLimitPerMinute: 1, tokenDailyQuota: 1 })
    const token = () =>
      mock.api('/cgi-bin/token', { grant_type: 'client_credential', appid: APPID, secret: SECRET })
    const first = (await token()).body.access_token
    expectErrcode(await token(), 45009)
    location(await authorize(mock, { scope: 'snsapi_base' }))
    expect(errorOf(await (await authorize(mock, { scope: 'snsapi_base' })).text())?.errcode).toBe(
      '10009',
    )
    await mock.control('/__mock/reset', { parts: ['rateLimits'] })
    location(await authorize(mock, { scope: 'snsapi_base' }))
    expect((await token()).body.access_token).toBeTruthy()
    const ticket = await mock.api('/cgi-bin/ticket/getticket', {
      access_token: first,
      type: 'jsapi',
    })
    expect(ticket.body.errcode).toBe(0) // tokens kept
  })

  it('forgets only codes and tokens with {"parts":["tokens"]}', async () => {
    const mock = await startMock()
    const code = await codeFor(mock, 'alice')
    await mock.control('/__mock/latency', { ms: 1 })
    await mock.control('/__mock/reset', { parts: ['tokens'] })
    expectErrcode(await exchange(mock, code), 40029)
    const state = (await mock.read('/__mock/state')).body
    expect(state.latencyMs).toBe(1)
    expect(state.consent.action).toBe('allow')
    expect((await mock.read('/__mock/calls')).body.calls.length).toBeGreaterThan(0)
  })

  it.each([
    [{ parts: [] }],
    [{ parts: ['everything'] }],
    [{ parts: ['clock', 'clock'] }],
    [{ x: 1 }],
  ])('rejects %j with 400 and resets nothing', async (body) => {
    const mock = await startMock()
    await advance(mock, 5)
    expect((await mock.control('/__mock/reset', body)).status).toBe(400)
    expect((await mock.read('/__mock/clock')).body.offsetSeconds).toBe(5)
  })
})
