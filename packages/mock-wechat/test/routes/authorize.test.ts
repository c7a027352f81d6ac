import { randomBytes, randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { DEFAULT_APP, PERSONA_IDS } from '../../src/index.js'
import {
  APPID,
  CALLBACK,
  advance,
  authorize,
  authorizeUrl,
  errorOf,
  exchange,
  location,
  rawGet,
  startMock,
  type Mock,
} from '../helpers.js'

const APP_TEST = { appid: 'wxapptest000000001', secret: 'app-test-secret', domains: ['app.test'] }

/** Open the consent page and return its form ticket. */
async function openConsent(mock: Mock, params = {}): Promise<{ html: string; ticket: string }> {
  const response = await authorize(mock, params)
  expect(response.status).toBe(200)
  const html = await response.text()
  const ticket = /name="ticket" value="([^"]+)"/.exec(html)?.[1]
  expect(ticket).toBeTruthy()
  return { html, ticket: ticket ?? '' }
}

function submitConsent(mock: Mock, form: Record<string, string>): Promise<Response> {
  return mock.fetch('/connect/oauth2/authorize/confirm', undefined, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  })
}

describe('GET /connect/oauth2/authorize: silent authorisation', () => {
  it('redirects snsapi_base at once, appending code then state', async () => {
    const mock = await startMock()
    const response = await authorize(mock, { scope: 'snsapi_base', state: 'abc123' })
    const raw = response.headers.get('location') ?? ''
    expect(raw).toMatch(/^http:\/\/127\.0\.0\.1:5173\/cb\?code=[A-Za-z0-9]{32}&state=abc123$/)
    expect(location(response).pathname).toBe('/cb')
  })

  it('uses the persona chosen last for snsapi_base (alice by default)', async () => {
    const mock = await startMock()
    const personas = (await mock.read('/__mock/personas')).body as Array<{
      id: string
      openids: Record<string, string>
    }>
    const openid = (id: string) => personas.find((p) => p.id === id)?.openids[APPID]
    const first = location(await authorize(mock, { scope: 'snsapi_base' }))
    const asAlice = await exchange(mock, first.searchParams.get('code') ?? '')
    expect(asAlice.body.openid).toBe(openid('alice'))

    await mock.control('/__mock/consent', { action: 'page', persona: 'nounion' })
    const second = location(await authorize(mock, { scope: 'snsapi_base' }))
    const asNounion = await exchange(mock, second.searchParams.get('code') ?? '')
    expect(asNounion.body.openid).toBe(openid('nounion'))
  })

  it('authorises a follower silently even for snsapi_userinfo', async () => {
    const mock = await startMock()
    await mock.control('/__mock/consent', { action: 'page', persona: 'follower' })
    const response = await authorize(mock, { scope: 'snsapi_userinfo' })
    const code = location(response).searchParams.get('code') ?? ''
    const token = await exchange(mock, code)
    expect(token.body.scope).toBe('snsapi_userinfo')
    expect(token.body.unionid).toMatch(/^o[A-Za-z0-9_-]{27}$/)
  })

  it('leaves state out of the callback when the link had none', async () => {
    const mock = await startMock()
    const response = await authorize(mock, { scope: 'snsapi_base', state: undefined })
    const url = location(response)
    expect(url.searchParams.has('code')).toBe(true)
    expect(url.searchParams.has('state')).toBe(false)
  })

  it('answers a browser navigation with a location.replace page, so #wechat_redirect is not inherited', async () => {
    const mock = await startMock()
    // fetch() sets Sec-Fetch-Mode itself; a raw request can send what a browser sends.
    const response = await rawGet(authorizeUrl(mock.base, { scope: 'snsapi_base' }), {
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document',
    })
    expect(response.status).toBe(200)
    const html = response.body
    const href = /data-test="mock-redirecting" data-href="([^"]+)"/.exec(html)?.[1] ?? ''
    const url = new URL(href.replaceAll('&amp;', '&'))
    expect(url.origin + url.pathname).toBe(CALLBACK)
    expect(url.searchParams.get('code')).toMatch(/^[A-Za-z0-9]{32}$/)
    expect(url.hash).toBe('')
    expect(html).toContain('location.replace(')
  })
})

describe('GET /connect/oauth2/authorize: building the callback URL', () => {
  it('puts code and state before a hash-router fragment', async () => {
    const mock = await startMock({ apps: [APP_TEST] })
    const response = await authorize(mock, {
      appid: APP_TEST.appid,
      redirect_uri: 'https://app.test/#/login',
      scope: 'snsapi_base',
      state: 'S1',
    })
    expect(response.headers.get('location')).toMatch(
      /^https:\/\/app\.test\/\?code=[A-Za-z0-9]{32}&state=S1#\/login$/,
    )
  })

  it('keeps an existing query and appends code and state after it', async () => {
    const mock = await startMock({ apps: [APP_TEST] })
    const response = await authorize(mock, {
      appid: APP_TEST.appid,
      redirect_uri: 'https://app.test/cgi-bin/query?action=get',
      scope: 'snsapi_base',
      state: 'S2',
    })
    expect(response.headers.get('location')).toMatch(
      /^https:\/\/app\.test\/cgi-bin\/query\?action=get&code=[A-Za-z0-9]{32}&state=S2$/,
    )
  })

  it('loses the inner parameters of a redirect_uri that was not URL-encoded', async () => {
    const mock = await startMock({ apps: [APP_TEST] })
    // redirect_uri=https://app.test/cb?next=/a&b=2 written raw: "&b=2" becomes an authorize parameter.
    const link =
      `${mock.base}/connect/oauth2/authorize?appid=${APP_TEST.appid}` +
      '&redirect_uri=https://app.test/cb?next=/a&b=2&response_type=code&scope=snsapi_base&state=S3#wechat_redirect'
    const url = location(await fetch(link, { redirect: 'manual' }))
    expect(url.pathname).toBe('/cb')
    expect(url.searchParams.get('next')).toBe('/a')
    expect(url.searchParams.has('b')).toBe(false)
    expect([...url.searchParams.keys()]).toEqual(['next', 'code', 'state'])
  })
})

describe('GET /connect/oauth2/authorize: consent page', () => {
  it('renders a WeUI-style consent page with a persona picker and 允许 / 拒绝', async () => {
    const mock = await startMock()
    const response = await authorize(mock)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await response.text()
    expect(html).toContain('<meta name="viewport"')
    expect(html).toContain('申请获得以下权限：')
    expect(html).toContain('获得你的公开信息（昵称、头像等）')
    expect(html).toMatch(/data-test="mock-allow"[^>]*>允许</)
    expect(html).toMatch(/data-test="mock-deny"[^>]*>拒绝</)
    for (const id of PERSONA_IDS) expect(html).toContain(`data-test="mock-persona-${id}"`)
    expect(html).toMatch(/value="alice" checked/)
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z]/i) // nothing loads from elsewhere
  })

  it('allow redirects with a code for the picked persona, and remembers the choice', async () => {
    const mock = await startMock()
    const { ticket } = await openConsent(mock, { state: 'xyz' })
    const response = await submitConsent(mock, { ticket, persona: 'emoji', action: 'allow' })
    const url = location(response)
    expect(url.origin + url.pathname).toBe(CALLBACK)
    expect([...url.searchParams.keys()]).toEqual(['code', 'state'])
    expect(url.searchParams.get('state')).toBe('xyz')
    const token = await exchange(mock, url.searchParams.get('code') ?? '')
    const info = await mock.api('/sns/userinfo', {
      access_token: token.body.access_token,
      openid: token.body.openid,
      lang: 'zh_CN',
    })
    expect(info.body.nickname).toBe('🌸樱花酱🍡 Sakura ✨')
    const { html } = await openConsent(mock)
    expect(html).toMatch(/value="emoji" checked/)
  })

  it('deny with the default denyMode shows the cancelled page and does not redirect', async () => {
    const mock = await startMock()
    const { ticket } = await openConsent(mock)
    const response = await submitConsent(mock, { ticket, persona: 'alice', action: 'deny' })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('data-test="mock-cancelled"')
    expect(html).toContain('已取消')
  })

  it('deny with denyMode state-only redirects with state and no code', async () => {
    const mock = await startMock()
    await mock.control('/__mock/consent', { action: 'page', denyMode: 'state-only' })
    const { ticket } = await openConsent(mock, { state: 'S9' })
    const url = location(await submitConsent(mock, { ticket, action: 'deny' }))
    expect(url.href).toBe(`${CALLBACK}?state=S9`)
  })

  it('accepts a consent form once', async () => {
    const mock = await startMock()
    const { ticket } = await openConsent(mock)
    location(await submitConsent(mock, { ticket, persona: 'alice', action: 'allow' }))
    const again = await submitConsent(mock, { ticket, persona: 'alice', action: 'allow' })
    expect(errorOf(await again.text())?.key).toBe('consent-expired')
  })

  it('rejects a malformed consent form with 400', async () => {
    const mock = await startMock()
    const { ticket } = await openConsent(mock)
    const bad = await submitConsent(mock, { ticket, persona: 'mallory', action: 'allow' })
    expect(bad.status).toBe(400)
    const badAction = await submitConsent(mock, { ticket, action: 'maybe' })
    expect(badAction.status).toBe(400)
    // The ticket survived the bad submissions.
    location(await submitConsent(mock, { ticket, persona: 'alice', action: 'allow' }))
  })

  it('scripted allow skips the page', async () => {
    const mock = await startMock()
    await mock.control('/__mock/consent', { action: 'allow', persona: 'noavatar' })
    const url = location(await authorize(mock))
    expect(url.searchParams.get('code')).toMatch(/^[A-Za-z0-9]{32}$/)
  })

  it('scripted deny answers like the deny button, in both deny modes', async () => {
    const mock = await startMock()
    await mock.control('/__mock/consent', { action: 'deny' })
    const cancelled = await authorize(mock)
    expect(await cancelled.text()).toContain('data-test="mock-cancelled"')
    await mock.control('/__mock/consent', { action: 'deny', denyMode: 'state-only' })
    expect(location(await authorize(mock, { state: 'Q' })).href).toBe(`${CALLBACK}?state=Q`)
    // snsapi_base never asks, so it cannot be denied.
    expect(location(await authorize(mock, { scope: 'snsapi_base' })).searchParams.has('code')).toBe(
      true,
    )
  })

  it('gives the snapshot persona a virtual identity', async () => {
    const mock = await startMock()
    const { ticket } = await openConsent(mock)
    const url = location(
      await submitConsent(mock, { ticket, persona: 'snapshot', action: 'allow' }),
    )
    const token = await exchange(mock, url.searchParams.get('code') ?? '')
    expect(token.body.is_snapshotuser).toBe(1)
    const personas = (await mock.read('/__mock/personas')).body as Array<{
      id: string
      unionid?: string
      openids: Record<string, string>
    }>
    const real = personas.filter((p) => p.id !== 'snapshot')
    expect(real.map((p) => p.openids[APPID])).not.toContain(token.body.openid)
    expect(real.map((p) => p.unionid)).not.toContain(token.body.unionid)
    expect(token.body.unionid).toMatch(/^o[A-Za-z0-9_-]{27}$/)
  })
})

describe('GET /connect/oauth2/authorize: error pages', () => {
  const cases: Array<{
    name: string
    params: Record<string, string | undefined>
    errcode: string
    key: string
  }> = [
    {
      name: 'redirect_uri host not authorised',
      params: { redirect_uri: 'https://evil.test/cb' },
      errcode: '10003',
      key: 'redirect-uri-domain',
    },
    {
      name: 'redirect_uri on another port',
      params: { redirect_uri: 'http://127.0.0.1:5174/cb' },
      errcode: '10003',
      key: 'redirect-uri-domain',
    },
    {
      name: 'a scope WeChat does not have',
      params: { scope: 'snsapi_login' },
      errcode: '10005',
      key: 'scope-unauthorized',
    },
    { name: 'scope missing', params: { scope: undefined }, errcode: '10010', key: 'scope-empty' },
    {
      name: 'redirect_uri missing',
      params: { redirect_uri: undefined },
      errcode: '10011',
      key: 'redirect-uri-empty',
    },
    { name: 'appid missing', params: { appid: undefined }, errcode: '10012', key: 'appid-empty' },
    {
      name: 'appid unknown',
      params: { appid: 'wx0000000000000000' },
      errcode: '10012',
      key: 'appid-empty',
    },
    {
      name: 'state longer than 128 bytes',
      params: { state: 'a'.repeat(129) },
      errcode: '',
      key: 'state-too-long',
    },
    {
      name: 'response_type other than code',
      params: { response_type: 'token' },
      errcode: '',
      key: 'response-type',
    },
    {
      name: 'redirect_uri not http(s)',
      params: { redirect_uri: 'javascript:alert(1)' },
      errcode: '',
      key: 'redirect-uri-invalid',
    },
  ]
  for (const c of cases) {
    it(`shows the error page for ${c.name}`, async () => {
      const mock = await startMock()
      const response = await authorize(mock, c.params)
      expect(response.status).toBe(200)
      const html = await response.text()
      expect(errorOf(html)).toEqual({ errcode: c.errcode, key: c.key })
      if (c.errcode) expect(html).toContain(`错误码:${c.errcode}`)
      const { calls } = (await mock.read('/__mock/calls')).body
      expect(calls[0].errcode).toBe(c.errcode ? Number(c.errcode) : undefined)
    })
  }

  it('accepts a 128-byte state', async () => {
    const mock = await startMock()
    const url = location(await authorize(mock, { scope: 'snsapi_base', state: 'a'.repeat(128) }))
    expect(url.searchParams.get('state')).toBe('a'.repeat(128))
  })

  it('shows the exact WeChat message with the code', async () => {
    const mock = await startMock()
    const html = await (await authorize(mock, { redirect_uri: 'https://evil.test/' })).text()
    expect(html).toContain('redirect_uri域名与后台配置不一致，错误码:10003')
  })

  it('rejects snsapi_userinfo parameters out of WeChat order, unless strictOrder is off', async () => {
    const link = (base: string) =>
      `${base}/connect/oauth2/authorize?appid=${APPID}&redirect_uri=${encodeURIComponent(CALLBACK)}` +
      '&scope=snsapi_userinfo&response_type=code&state=S#wechat_redirect'
    const strict = await startMock()
    const html = await (await fetch(link(strict.base), { redirect: 'manual' })).text()
    expect(errorOf(html)).toEqual({ errcode: '', key: 'param-order' })
    expect(html).toContain('Scope 参数错误或没有 Scope 权限')
    const lenient = await startMock({ strictOrder: false })
    const page = await (await fetch(link(lenient.base), { redirect: 'manual' })).text()
    expect(page).toContain('data-test="mock-consent"')
  })

  it('answers 10005 for a scope the account does not hold', async () => {
    const mock = await startMock({ apps: [{ ...DEFAULT_APP, scopes: ['snsapi_base'] }] })
    expect(errorOf(await (await authorize(mock)).text())?.errcode).toBe('10005')
    location(await authorize(mock, { scope: 'snsapi_base' }))
  })

  it('answers 10013 when the account requires state and the link has none', async () => {
    const mock = await startMock({ apps: [{ ...DEFAULT_APP, requireState: true }] })
    const html = await (await authorize(mock, { state: undefined })).text()
    expect(errorOf(html)?.errcode).toBe('10013')
  })

  it('answers 10016 for an Open Platform appid', async () => {
    const mock = await startMock({ apps: [{ ...DEFAULT_APP, openPlatformApp: true }] })
    const html = await (await authorize(mock)).text()
    expect(errorOf(html)?.errcode).toBe('10016')
    expect(html).toContain('不支持微信开放平台的Appid，请使用公众号Appid')
  })

  it('answers 10006 on a test account for users who do not follow it', async () => {
    const mock = await startMock({ apps: [{ ...DEFAULT_APP, testAccount: true }] })
    const html = await (await authorize(mock, { scope: 'snsapi_base' })).text()
    expect(errorOf(html)?.errcode).toBe('10006')
    await mock.control('/__mock/consent', { action: 'page', persona: 'follower' })
    location(await authorize(mock, { scope: 'snsapi_base' }))
  })

  it('answers 10009 past the per-minute limit of one client, and recovers a minute later', async () => {
    const mock = await startMock({ authorizeRateLimitPerMinute: 3 })
    for (let i = 0; i < 3; i += 1) location(await authorize(mock, { scope: 'snsapi_base' }))
    const html = await (await authorize(mock, { scope: 'snsapi_base' })).text()
    expect(errorOf(html)?.errcode).toBe('10009')
    expect(html).toContain('操作太频繁了，请稍后重试')
    await advance(mock, 61)
    location(await authorize(mock, { scope: 'snsapi_base' }))
  })

  it('allows 30 authorize requests a minute by default', async () => {
    const mock = await startMock()
    for (let i = 0; i < 30; i += 1) location(await authorize(mock, { scope: 'snsapi_base' }))
    const html = await (await authorize(mock, { scope: 'snsapi_base' })).text()
    expect(errorOf(html)?.errcode).toBe('10009')
  })

  it('warns on the consent page when #wechat_redirect is missing', async () => {
    const mock = await startMock()
    const html = await (await authorize(mock)).text()
    expect(html).toContain('data-test="mock-hash-warning"')
    expect(html).toContain("location.hash !== '#wechat_redirect'")
    expect(authorizeUrl(mock.base)).toMatch(/#wechat_redirect$/)
  })
})

/**
 * state: documented as "a-zA-Z0-9 … 最多128字节", but WeChat only enforces the length: percent-
 * encoded, non-alphanumeric states come back unchanged, and only a state past 128 bytes shows
 * "state参数过长".
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html (the documented rule)
 * @see https://developers.weixin.qq.com/community/develop/doc/000a223bf048d8aa0c6a3948d5c800 (echoed)
 * @see https://github.com/Jeff-Tian/keycloak-services-social-weixin/issues/37 (too long)
 */
describe('GET /connect/oauth2/authorize: state', () => {
  it('echoes a non-alphanumeric state unchanged, as WeChat does (only past 128 bytes is it refused)', async () => {
    const mock = await startMock()
    for (const state of [
      randomUUID(),
      randomBytes(24).toString('base64url'),
      'returnTo=/orders?id=1&tab=2',
      '{"a":1,"b":2}',
      '状态 ✓',
    ]) {
      const url = location(await authorize(mock, { scope: 'snsapi_base', state }))
      expect(url.searchParams.get('state')).toBe(state)
    }
  })

  it('counts the 128-byte limit in UTF-8 bytes, not characters', async () => {
    const mock = await startMock()
    const fits = '中'.repeat(42) // 126 bytes
    expect(
      location(await authorize(mock, { scope: 'snsapi_base', state: fits })).searchParams.get(
        'state',
      ),
    ).toBe(fits)
    const html = await (
      await authorize(mock, { scope: 'snsapi_base', state: '中'.repeat(43) })
    ).text()
    expect(errorOf(html)).toEqual({ errcode: '', key: 'state-too-long' })
  })

  it('refuses a state outside [A-Za-z0-9] with strictState, the documented rule', async () => {
    const mock = await startMock({ strictState: true })
    const html = await (await authorize(mock, { scope: 'snsapi_base', state: randomUUID() })).text()
    expect(errorOf(html)).toEqual({ errcode: '', key: 'state-invalid' })
    const { calls } = (await mock.read('/__mock/calls')).body
    expect(calls[0].errcode).toBeUndefined()
    location(await authorize(mock, { scope: 'snsapi_base', state: 'abcXYZ09' }))
  })
})

/**
 * "微信会对授权链接做正则强匹配校验，如果链接的参数顺序不对，授权页面将无法正常访问": in practice a
 * snsapi_userinfo link with scope before response_type fails with "Scope 参数错误或没有 Scope 权限",
 * while the same link with snsapi_base works.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 * @see https://blog.csdn.net/yiluoAK_47/article/details/48249979
 */
describe('GET /connect/oauth2/authorize: parameter order', () => {
  /** scope before response_type, as in the documented failure. */
  const outOfOrder = (base: string, scope: string) =>
    `${base}/connect/oauth2/authorize?appid=${APPID}&redirect_uri=${encodeURIComponent(CALLBACK)}` +
    `&scope=${scope}&response_type=code&state=S#wechat_redirect`

  it('accepts a snsapi_base link with its parameters out of order, as WeChat does', async () => {
    const mock = await startMock()
    const url = location(await fetch(outOfOrder(mock.base, 'snsapi_base'), { redirect: 'manual' }))
    expect(url.searchParams.get('code')).toMatch(/^[A-Za-z0-9]{32}$/)
  })

  it('refuses a snsapi_userinfo link out of order with "Scope 参数错误或没有 Scope 权限"', async () => {
    const mock = await startMock()
    const html = await (
      await fetch(outOfOrder(mock.base, 'snsapi_userinfo'), { redirect: 'manual' })
    ).text()
    expect(errorOf(html)).toEqual({ errcode: '', key: 'param-order' })
  })

  it('refuses both scopes out of order with orderCheck "all" (or strictOrder: true)', async () => {
    for (const options of [{ orderCheck: 'all' as const }, { strictOrder: true }]) {
      const mock = await startMock(options)
      const html = await (
        await fetch(outOfOrder(mock.base, 'snsapi_base'), { redirect: 'manual' })
      ).text()
      expect(errorOf(html)?.key).toBe('param-order')
    }
  })

  it('checks no order with orderCheck "off"', async () => {
    const mock = await startMock({ orderCheck: 'off' })
    const page = await (
      await fetch(outOfOrder(mock.base, 'snsapi_userinfo'), { redirect: 'manual' })
    ).text()
    expect(page).toContain('data-test="mock-consent"')
  })
})

/**
 * 网页授权域名: a domain (or domain/path) with no IP or port for an official account, and 10003
 * "redirect_uri不支持带端口号" for a redirect_uri with a port; a test account (测试号) takes
 * `127.0.0.1:8080` and LAN `ip:port`.
 * @see https://developers.weixin.qq.com/doc/oplatform/developers/troubleshooting/auth.html
 * @see https://cloud.tencent.com/developer/article/2005981 (the console's domain rules)
 * @see https://blog.csdn.net/yujianping_123/article/details/52233841 (test account ip:port)
 */
describe('GET /connect/oauth2/authorize: official accounts and web-auth domains', () => {
  const OFFICIAL = {
    appid: 'wxofficial00000001',
    secret: 'official-secret',
    domains: ['h5.example.test', 'www.example.test/h5'],
    officialAccount: true,
  }

  it('answers 10003 "redirect_uri不支持带端口号" to an official account whose redirect_uri has a port', async () => {
    const mock = await startMock({ apps: [OFFICIAL] })
    const html = await (
      await authorize(mock, {
        appid: OFFICIAL.appid,
        redirect_uri: 'https://h5.example.test:8443/cb',
        scope: 'snsapi_base',
      })
    ).text()
    expect(errorOf(html)).toEqual({ errcode: '10003', key: 'redirect-uri-port' })
    expect(html).toContain('redirect_uri域名与后台配置不一致，错误码:10003')
    expect(html).toContain('redirect_uri不支持带端口号')
    const ok = location(
      await authorize(mock, {
        appid: OFFICIAL.appid,
        redirect_uri: 'https://h5.example.test/cb',
        scope: 'snsapi_base',
      }),
    )
    expect(ok.host).toBe('h5.example.test')
  })

  it('lets a test account (the default app) use ports and IPs', async () => {
    const mock = await startMock({
      apps: [{ ...DEFAULT_APP, domains: ['192.168.1.20:8080', '127.0.0.1:5173'] }],
    })
    const url = location(
      await authorize(mock, { redirect_uri: 'http://192.168.1.20:8080/cb', scope: 'snsapi_base' }),
    )
    expect(url.host).toBe('192.168.1.20:8080')
  })

  it('takes a domain entry with a path, and allows that path and below only', async () => {
    const mock = await startMock({ apps: [OFFICIAL] })
    const link = (redirect_uri: string) =>
      authorize(mock, { appid: OFFICIAL.appid, redirect_uri, scope: 'snsapi_base' })
    for (const uri of [
      'https://www.example.test/h5',
      'https://www.example.test/h5/',
      'https://www.example.test/h5/orders?id=1#/a',
    ]) {
      expect(location(await link(uri)).searchParams.has('code')).toBe(true)
    }
    for (const uri of ['https://www.example.test/', 'https://www.example.test/h5x']) {
      expect(errorOf(await (await link(uri)).text())).toEqual({
        errcode: '10003',
        key: 'redirect-uri-domain',
      })
    }
  })
})
