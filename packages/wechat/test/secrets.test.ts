/**
 * The AppSecret, tokens and codes never show up in a thrown error (message, stack, cause, any field)
 * or in an onCall event, even when WeChat, a proxy or fetch itself echoes them back.
 */
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WechatError, type WechatCallEvent, type WechatClientOptions } from '../src/index.js'
import { startFakeWechat, type FakeCall, type FakeWechat } from './helpers/fake-wechat.js'
import { APP_ID, testClient } from './helpers/client.js'

// Characters that URL-encode differently (`/`, `+`, `=`, `&`) so encoded forms are checked too.
const SECRET = 'S3cr3t/with+special=chars&more-0123456789'
const CODE = '071CyW000UGidO1SxY000uNATs1CyW04'
const WEB_TOKEN = '83_WebAccess+Token/xyz=='
const REFRESH_TOKEN = '83_WebRefresh+Token/xyz=='
const GLOBAL_TOKEN = '63_GlobalAccess+Token/xyz=='
const OPENID = 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M'

const SENSITIVE = [SECRET, CODE, WEB_TOKEN, REFRESH_TOKEN, GLOBAL_TOKEN]
const FORMS = SENSITIVE.flatMap((value) => [
  value,
  encodeURIComponent(value),
  new URLSearchParams([['', value]]).toString().slice(1),
])

let fake: FakeWechat
beforeAll(async () => {
  fake = await startFakeWechat()
})
afterAll(() => fake.close())

/** Everything one might print or ship from an error. */
function renderings(error: unknown): string[] {
  const err = error as Error
  return [
    JSON.stringify(error),
    JSON.stringify(Object.getOwnPropertyNames(error).map((name) => [name, (err as never)[name]])),
    String(error),
    err.message,
    err.stack ?? '',
    inspect(error, { depth: 5 }),
    inspect(error, { depth: 5, showHidden: true }),
    inspect(err.cause, { depth: 5 }),
  ]
}

function expectClean(texts: string[], label: string): void {
  for (const text of texts) {
    for (const form of FORMS) {
      expect(text.includes(form), `${label} leaked ${form} in: ${text}`).toBe(false)
    }
  }
}

/**
 * Echo the request back (query raw and decoded, and the body), the way a hostile proxy might: the
 * client can only blank out what it sent, so this is every secret that call carried.
 */
function echo(call: FakeCall): string {
  return `${call.path}${call.search} ${[...call.query.values()].join(' ')} ${call.body}`
}

type Scenario = [label: string, arrange: () => void, overrides?: Partial<WechatClientOptions>]

const scenarios: Scenario[] = [
  [
    'an errcode whose errmsg echoes the request',
    () => {
      for (const path of [
        'sns/oauth2/access_token',
        'sns/oauth2/refresh_token',
        'sns/userinfo',
        'sns/auth',
        'cgi-bin/stable_token',
      ]) {
        fake.on(path, (call) => ({
          body: { errcode: 40125, errmsg: `invalid appsecret ${echo(call)}` },
        }))
      }
    },
  ],
  [
    'an HTTP 500 whose body echoes the request',
    () => {
      for (const path of [
        'sns/oauth2/access_token',
        'sns/oauth2/refresh_token',
        'sns/userinfo',
        'sns/auth',
        'cgi-bin/stable_token',
      ]) {
        fake.on(path, (call) => ({ status: 500, body: echo(call) }))
      }
    },
  ],
  [
    'a garbage body that echoes the request',
    () => {
      for (const path of [
        'sns/oauth2/access_token',
        'sns/oauth2/refresh_token',
        'sns/userinfo',
        'sns/auth',
        'cgi-bin/stable_token',
      ]) {
        fake.on(path, (call) => ({ body: `<html>${echo(call)}</html>` }))
      }
    },
  ],
  [
    'a schema-invalid body that quotes the secret',
    () => {
      for (const path of [
        'sns/oauth2/access_token',
        'sns/oauth2/refresh_token',
        'sns/userinfo',
        'sns/auth',
        'cgi-bin/stable_token',
      ]) {
        fake.on(path, () => ({ body: { access_token: 1, errmsg: SENSITIVE, [SECRET]: SECRET } }))
      }
    },
  ],
  [
    'a timeout',
    () => {
      for (const path of [
        'sns/oauth2/access_token',
        'sns/oauth2/refresh_token',
        'sns/userinfo',
        'sns/auth',
        'cgi-bin/stable_token',
      ]) {
        fake.on(path, 'hang')
      }
    },
    { timeoutMs: 20 },
  ],
  [
    'a fetch that throws with the URL and body in its message and cause',
    () => undefined,
    {
      fetch: (async (input: string | URL | Request, init?: RequestInit) => {
        const url = String(input)
        throw new TypeError(`request to ${url} failed ${String(init?.body)}`, {
          cause: Object.assign(new Error(`connect failed for ${url}`), { code: 'ECONNRESET', url }),
        })
      }) as typeof fetch,
    },
  ],
]

describe('no secret, token or code in any error or event', () => {
  it.each(scenarios)('holds for %s', async (_label, arrange, overrides = {}) => {
    arrange()
    const events: WechatCallEvent[] = []
    const client = testClient(fake, {
      secret: SECRET,
      retries: 1,
      onCall: (event) => events.push(event),
      ...overrides,
    })
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['exchangeCode', () => client.exchangeCode(CODE)],
      ['refreshWebToken', () => client.refreshWebToken(REFRESH_TOKEN)],
      ['getUserInfo', () => client.getUserInfo(WEB_TOKEN, OPENID)],
      ['checkWebToken', () => client.checkWebToken(WEB_TOKEN, OPENID)],
      ['getStableAccessToken', () => client.getStableAccessToken()],
    ]
    let thrown = 0
    for (const [name, call] of calls) {
      try {
        await call()
      } catch (error) {
        thrown++
        expect(error, name).toBeInstanceOf(WechatError)
        expectClean(renderings(error), name)
      }
    }
    // checkWebToken answers 'unknown' for busy outcomes; everything else must have thrown.
    expect(thrown).toBeGreaterThanOrEqual(4)
    expect(events.length).toBeGreaterThanOrEqual(5)
    expectClean([JSON.stringify(events), inspect(events, { depth: 5 })], 'onCall events')
  })

  it('holds for global-token business calls (user/info, getticket) that echo the token', async () => {
    fake.on('cgi-bin/stable_token', { body: { access_token: GLOBAL_TOKEN, expires_in: 7200 } })
    fake.on('cgi-bin/user/info', (call) => ({
      body: { errcode: 40001, errmsg: `invalid credential ${echo(call)}` },
    }))
    fake.on('cgi-bin/ticket/getticket', (call) => ({ status: 502, body: echo(call) }))
    const events: WechatCallEvent[] = []
    const client = testClient(fake, { secret: SECRET, onCall: (event) => events.push(event) })
    for (const call of [() => client.getFollowerInfo(OPENID), () => client.getJsapiTicket()]) {
      const error = await call().then(
        () => null,
        (thrown: unknown) => thrown,
      )
      expect(error).toBeInstanceOf(WechatError)
      expectClean(renderings(error), 'global-token call')
    }
    expectClean([JSON.stringify(events)], 'onCall events')
  })

  it('still says what went wrong (endpoint, errcode, reason) after redaction', async () => {
    fake.on('sns/oauth2/access_token', (call) => ({
      body: { errcode: 40125, errmsg: `invalid appsecret ${echo(call)}` },
    }))
    const error = await testClient(fake, { secret: SECRET })
      .exchangeCode(CODE)
      .then(
        () => null,
        (thrown: unknown) => thrown,
      )
    expect(String(error)).toContain(
      'WechatApiError: WeChat sns/oauth2/access_token answered errcode 40125 (config)',
    )
    expect(String(error)).toContain('[redacted]')
    expect(String(error)).toContain(APP_ID)
  })
})
