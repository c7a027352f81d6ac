/**
 * The mock BFF cannot drift from the real one: one request script per scenario runs against
 * (1) the real demo BFF (apps/bff's `buildApp`, SQLite) on the WeChat simulator, the scenario made
 * with the simulator's control plane, and (2) the mock BFF of `pnpm dev:mock` (`@wxauth/vue/mock`
 * with apps/web/mock's handlers) under `msw/node`, the scenario chosen as `?mock=` would. Step by
 * step they must answer the same status, the same error code, bodies of the same shape (and a few
 * equal values), and every body must pass its route's schema in `@wxauth/shared/schemas`.
 * No browser: plain HTTP (`app.inject()` on one side, `fetch` on the other).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { PERSONAS, DEFAULT_APP } from '../../../../packages/mock-wechat/src/index.js'
import {
  MOCK_APP_ID,
  MOCK_PERSONAS,
  createWechatAuthMock,
  type ScenarioName,
  type WechatAuthMock,
} from '../../../../packages/vue/src/mock/index.js'
import webMock from '../../mock/index.js'
import { DEMO_ACCOUNT_QR_URL } from '../../mock/demo-account-qr.js'
import {
  PUBLIC_URL,
  build,
  codeHeaders,
  type Browser,
  type TestContext,
} from '../../../bff/test/helper.js'
import {
  observationDiff,
  runScript,
  shapeDiff,
  shapeOf,
  type Side,
  type Step,
} from './contract-runner.js'

/** One scenario: its script, and how the real stack is put into it (the mock: by its name). */
interface Script {
  scenario: ScenarioName
  /** Prepare the simulator and the BFF (the browser is the one the script runs in). */
  real?: (ctx: TestContext, browser: Browser) => Promise<void>
  steps: Step[]
}

const AUTHORIZE_BASE = 'GET /api/auth/authorize-url?returnTo=%2F&scope=snsapi_base'
const AUTHORIZE_USERINFO = 'GET /api/auth/authorize-url?returnTo=%2F&scope=snsapi_userinfo'
const EXCHANGE = 'sns/oauth2/access_token'

/** Sign `persona` up (a consented login in another browser), so the profile is stored. */
async function signUp(ctx: TestContext, persona: string): Promise<void> {
  await ctx.login(persona, 'snsapi_userinfo')
}

const SCRIPTS: Script[] = [
  {
    scenario: 'new',
    steps: [
      { call: 'GET /api/me' },
      { call: 'GET /api/auth/authorize-url?returnTo=https%3A%2F%2Fevil.example%2F' },
      { call: 'GET /api/auth/authorize-url?returnTo=%2F&scope=snsapi_login' },
      { call: AUTHORIZE_BASE },
      { wechat: 'allow', persona: 'alice' },
      { call: 'GET /api/me', code: true, wrongState: true },
      { call: 'GET /api/me', code: true, values: ['user', 'session.scope', 'session.snapshot'] },
      { call: 'GET /api/me', values: ['session.scope'] },
      { call: 'GET /api/activity', values: ['joined', 'title', 'description', 'coverUrl'] },
      { call: 'POST /api/activity/join' },
      { call: 'POST /api/me/refresh' },
      { call: 'GET /api/me/subscription', values: ['subscribed'] },
      { call: AUTHORIZE_USERINFO },
      { wechat: 'allow', persona: 'alice' },
      { call: 'GET /api/activity', code: true, values: ['joined'] },
      { call: 'GET /api/me', values: ['user.nickname', 'session.scope'] },
      { call: 'POST /api/activity/join', values: ['joined'] },
      { call: 'POST /api/activity/join', values: ['joined'] },
      { call: 'GET /api/activity', values: ['joined'] },
      { call: 'POST /api/me/refresh', values: ['user.nickname'] },
      { call: `GET /api/jssdk/config?url=${encodeURIComponent(`${PUBLIC_URL}/`)}` },
      { call: `GET /api/jssdk/config?url=${encodeURIComponent(`${PUBLIC_URL}/#/me`)}` },
      { call: 'GET /api/jssdk/config?url=https%3A%2F%2Fevil.example%2F' },
      { call: 'POST /api/auth/logout' },
      { call: 'GET /api/me' },
      { call: 'POST /api/auth/logout' },
    ],
  },
  {
    scenario: 'returning',
    real: (ctx) => signUp(ctx, 'alice'),
    steps: [
      { call: 'GET /api/auth/authorize-url?returnTo=%2Fme&scope=snsapi_base' },
      { wechat: 'allow', persona: 'alice' },
      { call: 'POST /api/auth/session', body: 'code', values: ['user.nickname', 'session.scope'] },
      { call: 'GET /api/me', values: ['user.nickname', 'session.scope'] },
      { call: 'POST /api/activity/join', values: ['joined'] },
      { call: 'POST /api/me/refresh' },
      { call: 'POST /api/auth/session', body: { code: 'x y', state: 'nope!' } },
    ],
  },
  {
    scenario: 'snapshot',
    steps: [
      { call: AUTHORIZE_USERINFO },
      { wechat: 'allow', persona: 'snapshot' },
      { call: 'GET /api/me', code: true, values: ['user', 'session.snapshot', 'session.scope'] },
      { call: 'GET /api/activity', values: ['joined'] },
      { call: 'POST /api/activity/join' },
      { call: 'GET /api/me/subscription' },
      { call: 'POST /api/me/refresh' },
    ],
  },
  {
    scenario: 'cancelled',
    steps: [{ call: AUTHORIZE_USERINFO }, { wechat: 'deny' }, { call: 'GET /api/me' }],
  },
  {
    scenario: 'unavailable',
    // WeChat answers -1 (system busy) to the exchange, twice.
    real: async (ctx) => {
      await ctx.control('fail', { endpoint: EXCHANGE, mode: 'errcode', errcode: -1, times: 2 })
    },
    steps: [
      { call: AUTHORIZE_BASE },
      { wechat: 'allow' },
      { call: 'GET /api/me', code: true },
      { call: 'GET /api/activity', code: true },
    ],
  },
  {
    scenario: 'loop',
    // WeChat refuses every code (40029 invalid code).
    real: async (ctx) => {
      await ctx.control('fail', { endpoint: EXCHANGE, mode: 'errcode', errcode: 40029, times: 2 })
    },
    steps: [
      { call: AUTHORIZE_BASE },
      { wechat: 'allow' },
      { call: 'GET /api/me', code: true },
      { call: 'GET /api/activity', code: true },
      { call: AUTHORIZE_BASE },
      { wechat: 'allow' },
      { call: 'GET /api/me', code: true },
    ],
  },
  {
    scenario: 'expired',
    // A returning user signed in earlier (the mock's scenario starts signed in).
    real: async (ctx, browser) => {
      await signUp(ctx, 'alice')
      const { url } = await ctx.startLogin(browser, 'snsapi_base')
      const { code, state } = await ctx.authorize(url, 'alice')
      expect((await browser.get('/api/me', codeHeaders(code, state))).statusCode).toBe(200)
    },
    steps: [
      { call: 'GET /api/me', values: ['user.nickname', 'session.scope'] },
      { expire: 'session' },
      { call: 'GET /api/me' },
      { call: 'GET /api/activity' },
      { call: AUTHORIZE_BASE },
      { wechat: 'allow', persona: 'alice' },
      { call: 'GET /api/me', code: true, values: ['user.nickname', 'session.scope'] },
    ],
  },
]

/** The body of a response as JSON (`null` when there is none). */
function jsonOf(text: string): unknown {
  return text === '' ? null : (JSON.parse(text) as unknown)
}

// ---------------------------------------------------------------------------------------------
// The real side: the demo BFF on the simulator, its clock ours to move.

let ctx: TestContext
let realOffset = 0

function realSide(browser: Browser): Side {
  return {
    name: 'real BFF',
    async request(method, path, headers, body) {
      const response = await browser.request({
        method: method as 'GET' | 'POST',
        url: path,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      })
      return { status: response.statusCode, body: jsonOf(response.body) }
    },
    async authorize(url, action, persona) {
      await ctx.control(
        'consent',
        action === 'allow' ? { action, persona } : { action, persona, denyMode: 'state-only' },
      )
      const response = await fetch(url, { redirect: 'manual' })
      expect(response.status, `the simulator answered ${url} with ${response.status}`).toBe(302)
      return response.headers.get('location') ?? ''
    },
    advanceClock: (ms) => void (realOffset += ms),
    now: () => Date.now() + realOffset,
  }
}

// ---------------------------------------------------------------------------------------------
// The mock side: `pnpm dev:mock`'s mock BFF, with `fetch` on the page's origin.

const server = setupServer()
let mockOffset = 0

/** The demo's mock as the dev server runs it, on an absolute base (Node has no page origin). */
function demoMock(): WechatAuthMock {
  return createWechatAuthMock({
    ...webMock,
    baseURL: `${PUBLIC_URL}/api`,
    now: () => Date.now() + mockOffset,
  })
}

function mockSide(mock: WechatAuthMock): Side {
  return {
    name: 'mock BFF',
    async request(method, path, headers, body) {
      const response = await fetch(`${PUBLIC_URL}${path}`, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      return { status: response.status, body: jsonOf(await response.text()) }
    },
    async authorize(url, action, persona) {
      const step = mock.consentStep(url)
      if (step.kind === 'error')
        throw new Error(`the mock authorize page refused ${url}: ${step.message}`)
      if (step.kind === 'redirect') return step.location
      return mock.decide(url, { action, persona: persona as 'alice' })
    },
    advanceClock: (ms) => void (mockOffset += ms),
    now: () => Date.now() + mockOffset,
  }
}

/** Run `script` on both sides, each from a clean start. */
async function runBoth(script: Script) {
  await ctx.wipe()
  await ctx.control('reset')
  realOffset = 0
  const browser = ctx.browser()
  if (script.real) await script.real(ctx, browser)
  const real = await runScript(realSide(browser), script.steps)

  mockOffset = 0
  const mock = demoMock()
  server.resetHandlers(...mock.handlers)
  mock.useScenario(script.scenario, 'alice')
  const mocked = await runScript(mockSide(mock), script.steps)
  return { real, mocked }
}

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'bypass' }) // the real side's calls to the simulator pass
  ctx = await build({
    options: { accountQrUrl: DEMO_ACCOUNT_QR_URL, now: () => Date.now() + realOffset },
  })
})
afterAll(async () => {
  server.close()
  await ctx?.close()
})

describe('the mock BFF answers like the real one', () => {
  it.each(SCRIPTS.map((s) => [s.scenario, s] as const))(
    'scenario %s: every step answers alike on both sides',
    async (_name, script) => {
      const { real, mocked } = await runBoth(script)
      expect(real.length).toBe(script.steps.length)
      // No step of the real BFF may fail its own schema either: the script checks the contract.
      expect(observationDiff(real, mocked)).toEqual([])
    },
  )

  it('the scripts cover every status and error code the SPA handles from these routes', async () => {
    const seen = new Set<string>()
    for (const script of SCRIPTS) {
      const { real } = await runBoth(script)
      for (const o of real)
        if (o.status !== undefined) seen.add(`${o.status} ${o.code ?? ''}`.trim())
    }
    expect([...seen].sort()).toEqual(
      [
        '200',
        '201',
        '204',
        '400 VALIDATION_ERROR',
        '401 AUTH_REQUIRED',
        '401 CODE_INVALID',
        '403 SCOPE_UPGRADE_REQUIRED',
        '403 SNAPSHOT_USER',
        '403 STATE_MISMATCH',
        '503 WECHAT_UNAVAILABLE',
      ].sort(),
    )
  })
})

describe('the comparison fails on drift', () => {
  it('a mock route answering another status or shape is reported, step by step', async () => {
    const script = SCRIPTS.find((s) => s.scenario === 'returning')!
    const { real } = await runBoth(script)
    const mock = demoMock()
    // A drifted mock: join answers 200 (not 201) and forgets participantCount.
    server.resetHandlers(
      http.post(`${PUBLIC_URL}/api/activity/join`, () => HttpResponse.json({ joined: true })),
      ...mock.handlers,
    )
    mock.useScenario('returning', 'alice')
    const mocked = await runScript(mockSide(mock), script.steps)
    expect(observationDiff(real, mocked)).toEqual([
      'step 5 (POST /api/activity/join): status real 201, mock 200',
      'step 5 (POST /api/activity/join): body /participantCount: only the real BFF has it',
      'step 5 (POST /api/activity/join): mock body / must have required properties participantCount',
    ])
  })

  it('a field only one side sends, or of another type, is a difference', () => {
    const real = shapeOf({ user: { nickname: 'a', unionid: 'u' }, session: { scope: 's' } })
    expect(shapeDiff(real, shapeOf({ user: { nickname: 'a' }, session: { scope: 's' } }))).toEqual([
      '/user/unionid: only the real BFF has it',
    ])
    expect(shapeDiff(real, shapeOf({ user: null, session: { scope: 1 } }))).toEqual([
      '/session/scope: real "string", mock "number"',
      '/user: real {"nickname":"string","unionid":"string"}, mock "null"',
    ])
    // arrays: their elements' shapes; an empty array says nothing about them
    expect(shapeDiff(shapeOf([{ a: 1 }]), shapeOf([]))).toEqual([])
    expect(shapeDiff(shapeOf([{ a: 1 }]), shapeOf([{ b: 1 }]))).toEqual([
      '[]/a: only the real BFF has it',
      '[]/b: only the mock has it',
    ])
  })
})

describe('the mock’s fixtures match the simulator’s', () => {
  it('the same personas: one definition (@wxauth/shared/personas), not a copy', () => {
    expect(MOCK_PERSONAS).toBe(PERSONAS)
  })

  it('the same AppID as the simulator’s default development app', () => {
    expect(MOCK_APP_ID).toBe(DEFAULT_APP.appid)
  })
})
