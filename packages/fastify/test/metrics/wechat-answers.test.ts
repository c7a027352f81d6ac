/**
 * WeChat's answers as counters: every attempt at every endpoint by errcode (or by why no answer
 * came back), and what each real exchange ended in. Failures are injected in the simulator.
 * @see https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENDPOINTS } from '@wxauth/wechat'
import { METRICS } from '../../src/metrics/definitions.js'
import { codeHeaders, build, type TestContext } from '../helper.js'
import { delta, scrape, type Scrape } from './scrape.js'

let ctx: TestContext
beforeAll(async () => {
  ctx = await build()
})
afterAll(async () => {
  await ctx?.close()
})

const ACCESS_TOKEN = 'sns/oauth2/access_token'
const USERINFO = 'sns/userinfo'

/** Queue a failure of the next call to `endpoint`, log in, and say what the scrapes saw. */
async function loginFailing(
  endpoint: string,
  failure: Record<string, unknown>,
): Promise<{ status: number; before: Scrape; after: Scrape }> {
  const browser = ctx.browser()
  const { url } = await ctx.startLogin(browser)
  const { code, state } = await ctx.authorize(url)
  await ctx.control('fail', { endpoint, ...failure })
  const before = await scrape(ctx.app)
  const response = await browser.get('/api/me', codeHeaders(code, state))
  const after = await scrape(ctx.app)
  return { status: response.statusCode, before, after }
}

describe('sns/oauth2/access_token failures', () => {
  it('-1 (system error) shows as errcode="-1" and result="wechat_unavailable"', async () => {
    const { status, before, after } = await loginFailing(ACCESS_TOKEN, {
      mode: 'errcode',
      errcode: -1,
    })
    expect(status).toBe(503)
    expect(
      delta(after, before, 'wxauth_wechat_requests_total', {
        endpoint: ACCESS_TOKEN,
        errcode: '-1',
      }),
    ).toBe(1)
    expect(
      delta(after, before, 'wxauth_code_exchanges_total', { result: 'wechat_unavailable' }),
    ).toBe(1)
    expect(delta(after, before, 'wxauth_code_exchanges_total')).toBe(1)
    expect(delta(after, before, 'wxauth_sessions_created_total')).toBe(0)
  })

  it('40125 (invalid appsecret) shows as result="wechat_config_error"', async () => {
    const { status, before, after } = await loginFailing(ACCESS_TOKEN, {
      mode: 'errcode',
      errcode: 40125,
    })
    expect(status).toBe(500)
    expect(
      delta(after, before, 'wxauth_wechat_requests_total', {
        endpoint: ACCESS_TOKEN,
        errcode: '40125',
      }),
    ).toBe(1)
    expect(
      delta(after, before, 'wxauth_code_exchanges_total', { result: 'wechat_config_error' }),
    ).toBe(1)
  })

  it('40164 (IP not in the whitelist) is a config error too', async () => {
    const { before, after } = await loginFailing(ACCESS_TOKEN, { mode: 'errcode', errcode: 40164 })
    expect(
      delta(after, before, 'wxauth_code_exchanges_total', { result: 'wechat_config_error' }),
    ).toBe(1)
    expect(delta(after, before, 'wxauth_wechat_requests_total', { errcode: '40164' })).toBe(1)
  })

  it('40029 → code_invalid, 40163 → code_used', async () => {
    const invalid = await loginFailing(ACCESS_TOKEN, { mode: 'errcode', errcode: 40029 })
    expect(invalid.status).toBe(401)
    expect(
      delta(invalid.after, invalid.before, 'wxauth_code_exchanges_total', {
        result: 'code_invalid',
      }),
    ).toBe(1)
    const used = await loginFailing(ACCESS_TOKEN, { mode: 'errcode', errcode: 40163 })
    expect(used.status).toBe(401)
    expect(
      delta(used.after, used.before, 'wxauth_code_exchanges_total', { result: 'code_used' }),
    ).toBe(1)
    expect(
      delta(used.after, used.before, 'wxauth_wechat_requests_total', {
        endpoint: ACCESS_TOKEN,
        errcode: '40163',
      }),
    ).toBe(1)
  })

  it('a timeout, an HTTP 500 and a garbage body get labels of their own', async () => {
    const cases = [
      ['timeout', 'timeout'],
      ['http500', 'http_5xx'],
      ['garbage', 'garbage'],
    ] as const
    for (const [mode, label] of cases) {
      const { status, before, after } = await loginFailing(ACCESS_TOKEN, { mode })
      expect(status, mode).toBe(503)
      expect(
        delta(after, before, 'wxauth_wechat_requests_total', {
          endpoint: ACCESS_TOKEN,
          errcode: label,
        }),
        mode,
      ).toBe(1)
      expect(
        delta(after, before, 'wxauth_code_exchanges_total', { result: 'wechat_unavailable' }),
        mode,
      ).toBe(1)
    }
  })
})

describe('retries', () => {
  it('counts every attempt: sns/userinfo -1 twice, then answered', async () => {
    const { status, before, after } = await loginFailing(USERINFO, {
      mode: 'errcode',
      errcode: -1,
      times: 2,
    })
    expect(status).toBe(200)
    expect(
      delta(after, before, 'wxauth_wechat_requests_total', { endpoint: USERINFO, errcode: '-1' }),
    ).toBe(2)
    expect(
      delta(after, before, 'wxauth_wechat_requests_total', { endpoint: USERINFO, errcode: '0' }),
    ).toBe(1)
    expect(
      delta(after, before, 'wxauth_wechat_request_duration_seconds_count', {
        endpoint: USERINFO,
      }),
    ).toBe(3)
    expect(delta(after, before, 'wxauth_code_exchanges_total', { result: 'ok' })).toBe(1)
  })
})

describe('label values', () => {
  it('are bounded sets: never an openid, a code, a token or a URL', async () => {
    await ctx.login('alice')
    await ctx.login('emoji', 'snsapi_base')
    const { samples } = await scrape(ctx.app)
    const wxauth = samples.filter((s) => s.name.startsWith('wxauth_'))
    expect(wxauth.length).toBeGreaterThan(10)
    const allowed: Record<string, RegExp> = {
      scope: /^snsapi_(base|userinfo)$/,
      snapshot: /^(true|false)$/,
      result: /^[a-z_]+$/,
      reason: /^(cookie|code_bound|state_spent)$/,
      endpoint: new RegExp(`^(${[...Object.values(ENDPOINTS), 'other'].join('|')})$`),
      errcode: /^(-?[0-9]{1,6}|timeout|network|garbage|http_[1-5]xx|other)$/,
      mode: /^(stable|classic)$/,
      route: /^(\/[A-Za-z0-9_:-]*)+$|^unmatched$/,
      le: /^([0-9.]+|\+Inf)$/,
    }
    const declared = new Set<string>(
      Object.values(METRICS).flatMap((m) => m.labelNames as readonly string[]),
    )
    for (const sample of wxauth) {
      for (const [label, value] of Object.entries(sample.labels)) {
        expect(declared.has(label) || label === 'le', `${sample.name}{${label}}`).toBe(true)
        expect(value, `${sample.name}{${label}="${value}"}`).toMatch(allowed[label]!)
      }
    }
  })
})
