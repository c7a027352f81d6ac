/**
 * The test harness of `@wxauth/fastify` (and of apps that adopt it: apps/bff's tests pass their own
 * `buildApp`): a real simulator on port 0 (`@wxauth/mock-wechat`), the app built on a temp SQLite
 * file and driven with `app.inject()`, its metrics on a listener of port 0, cookie-keeping
 * "browsers", a scripted login, and a suite-wide leak scan: every log line and every response body
 * of every test file is checked for the AppSecret and every web token the app ever received from
 * WeChat (collected by wrapping the `fetch` it uses), and for every code in logs; every metrics
 * scrape (each test's, and one of every app as it closes) also for every code and every openid.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import {
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
  type InjectOptions,
  type LightMyRequestResponse,
} from 'fastify'
import type { Kysely } from 'kysely'
import { afterAll, expect } from 'vitest'
import { buildMockWechat, DEFAULT_APP, type MockWechatOptions } from '@wxauth/mock-wechat'
import {
  CODE_HEADER,
  STATE_HEADER,
  parseAuthParams,
  type MeResponse,
  type Scope,
} from '@wxauth/shared'
import {
  OneLinePerRequest,
  createLogger,
  requestIdOptions,
  resolveOptions,
  type WechatAuthOptions,
} from '../src/index.js'
import type { Settings } from '../src/options.js'
import { buildOrdersApp } from './fixture/orders-app.js'

/** The SPA origin the tests pretend to be (authorised in the simulator's default app). */
export const PUBLIC_URL = 'http://127.0.0.1:5173'
export const COOKIE_SECRET = 'test-cookie-secret-0123456789-abcdefghijklmnop'

// ---------------------------------------------------------------------------------------------
// The leak ledger: one per test file (each file runs in its own worker), checked after all tests.

const ledger = {
  secrets: new Set<string>([DEFAULT_APP.secret, COOKIE_SECRET]),
  /** Every access_token / refresh_token / ticket WeChat handed the BFF. */
  tokens: new Set<string>(),
  /** Every code a test obtained: never to be logged. */
  codes: new Set<string>(),
  /** Every openid and unionid WeChat handed the BFF: never a metric label. */
  openids: new Set<string>(),
  logLines: [] as string[],
  bodies: [] as string[],
  /** Every metrics exposition text scraped. */
  scrapes: [] as string[],
  /** Error answers a route's OpenAPI description does not list (its status, or its code). */
  undocumented: [] as string[],
}

/** What the ledger holds (for the test that proves the scan can fail). */
export function leakLedger(): Readonly<typeof ledger> {
  return ledger
}

const TOKEN_KEYS = new Set(['access_token', 'refresh_token', 'ticket'])
const IDENTITY_KEYS = new Set(['openid', 'unionid'])

function collectTokens(value: unknown): void {
  if (value === null || typeof value !== 'object') return
  for (const [key, v] of Object.entries(value)) {
    if (TOKEN_KEYS.has(key) && typeof v === 'string' && v.length >= 8) ledger.tokens.add(v)
    else if (IDENTITY_KEYS.has(key) && typeof v === 'string' && v.length >= 8) {
      ledger.openids.add(v)
    } else collectTokens(v)
  }
}

/** A `fetch` for the BFF's WeChat client that records every token WeChat answers with. */
export const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init)
  try {
    collectTokens(JSON.parse(await response.clone().text()))
  } catch {
    /* not JSON: nothing to collect */
  }
  return response
}

/** Every secret, token or code (and with `openids`, openid or unionid) found in `text` (empty: clean). */
export function findLeaks(text: string, opts: { codes: boolean; openids?: boolean }): string[] {
  const found: string[] = []
  for (const s of [...ledger.secrets, ...ledger.tokens]) if (text.includes(s)) found.push(s)
  if (opts.codes) for (const c of ledger.codes) if (text.includes(c)) found.push(c)
  if (opts.openids) for (const o of ledger.openids) if (text.includes(o)) found.push(o)
  return found
}

/** Record a metrics exposition text into the ledger (every scrape goes through here). */
export function recordScrape(text: string): string {
  ledger.scrapes.push(text)
  return text
}

/** The suite-wide assertion (registered once per file by importing this helper). */
export function assertNoLeaks(): void {
  const leakingLogs = ledger.logLines.filter((l) => findLeaks(l, { codes: true }).length > 0)
  const leakingBodies = ledger.bodies.filter((b) => findLeaks(b, { codes: false }).length > 0)
  const leakingScrapes = ledger.scrapes.flatMap((text) =>
    text.split('\n').filter((l) => findLeaks(l, { codes: true, openids: true }).length > 0),
  )
  expect(leakingLogs, 'log lines carrying a secret, a token or a code').toEqual([])
  expect(leakingBodies, 'response bodies/headers carrying a secret or a token').toEqual([])
  expect(leakingScrapes, 'metrics carrying a secret, a token, a code or an openid').toEqual([])
}

afterAll(() => {
  assertNoLeaks()
  // The routes' error tables (src/routes/error-responses.ts) are the OpenAPI description: every error
  // a suite provoked must be listed there, status and code, so the description cannot lie.
  expect(ledger.undocumented, 'error answers missing from the route descriptions').toEqual([])
})

/** The response schema a route declares for `status` (exact, or the `4xx`/`5xx` range). */
function declaredResponse(
  schemas: unknown,
  status: number,
): { properties?: Record<string, unknown> } | null {
  if (schemas === null || typeof schemas !== 'object') return null
  const table = schemas as Record<string, { properties?: Record<string, unknown> }>
  return table[String(status)] ?? table[`${Math.floor(status / 100)}xx`] ?? null
}

/** Check one error answer against its route's description (routes without response schemas: none). */
function checkDocumented(request: FastifyRequest, status: number, payload: unknown): void {
  const schemas = request.routeOptions.schema?.response
  if (status < 400 || schemas === undefined) return
  const where = `${request.method} ${request.routeOptions.url}`
  const declared = declaredResponse(schemas, status)
  if (declared === null) {
    ledger.undocumented.push(`${where} answered ${status}, which it does not describe`)
    return
  }
  const codes = (declared.properties?.code as { enum?: string[] } | undefined)?.enum
  if (codes === undefined || typeof payload !== 'string') return
  try {
    const { code } = JSON.parse(payload) as { code?: string }
    if (code !== undefined && !codes.includes(code)) {
      ledger.undocumented.push(`${where} answered ${status} ${code}, not among ${codes.join(', ')}`)
    }
  } catch {
    /* not JSON: not an error body */
  }
}

// ---------------------------------------------------------------------------------------------

/** The plugin options every test starts from (the simulator and the database are added by `build`). */
export function testOptions(overrides: Partial<WechatAuthOptions> = {}): WechatAuthOptions {
  return {
    appId: DEFAULT_APP.appid,
    secret: DEFAULT_APP.secret,
    publicUrl: PUBLIC_URL,
    cookieSecret: COOKIE_SECRET,
    subscription: true,
    jssdk: true,
    healthRoutes: true,
    fetch: recordingFetch,
    wechat: { timeoutMs: 400, retryBaseDelayMs: 1 },
    // Every test app exposes its metrics, so the leak scan covers what the whole suite counted.
    metrics: { port: 0 },
    ...overrides,
  }
}

/** A pino logger writing parsed lines into `logs` and the leak ledger. */
export function captureLogs(logs: Array<Record<string, unknown>>): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue
        ledger.logLines.push(line)
        logs.push(JSON.parse(line) as Record<string, unknown>)
      }
      done()
    },
  })
}

/**
 * Record every response body and header set into the leak ledger, and the app's metrics as it
 * closes (what it counted over its whole life).
 */
export function recordBodies(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    checkDocumented(request, reply.statusCode, payload)
    ledger.bodies.push(
      `${typeof payload === 'string' ? payload : String(payload ?? '')}\n${JSON.stringify(reply.getHeaders())}`,
    )
    return payload
  })
  app.addHook('onClose', async () => {
    const registry = app.hasDecorator('wechatAuth') ? app.wechatAuth.metrics?.registry : undefined
    if (registry) recordScrape(await registry.metrics())
  })
}

/** How a test builds the app under test from the plugin's options and a log stream. */
export type AppBuilder = (
  options: WechatAuthOptions,
  logStream: Writable,
) => Promise<FastifyInstance>

/** The default app under test: the fixture (a bare Fastify app with the plugin and `orders`). */
export function fixtureBuilder(fastify: FastifyServerOptions = {}): AppBuilder {
  return (options, logStream) =>
    buildOrdersApp(options, {
      ...requestIdOptions(),
      loggerInstance: createLogger('debug', logStream),
      logController: new OneLinePerRequest(),
      ...fastify,
    })
}

/** A cookie-keeping client of the BFF, as a browser would be. */
export interface Browser {
  cookies: Map<string, string>
  request(opts: InjectOptions): Promise<LightMyRequestResponse>
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  post(
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>
  cookieHeader(): string
}

/** A cookie-keeping client over `app.inject()`, for any app: what one browser would send and keep. */
export function cookieClient() {
  const cookies = new Map<string, string>()
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const request = async (app: FastifyInstance, opts: InjectOptions) => {
    const headers = { ...(opts.headers as Record<string, string> | undefined) }
    if (cookies.size > 0 && headers.cookie === undefined) headers.cookie = cookieHeader()
    const response = await app.inject({ ...opts, headers })
    for (const c of response.cookies as Array<{ name: string; value: string; maxAge?: number }>) {
      if (c.value === '' || c.maxAge === 0) cookies.delete(c.name)
      else cookies.set(c.name, c.value)
    }
    return response
  }
  return {
    cookies,
    cookieHeader,
    request,
    get: (app: FastifyInstance, url: string, headers?: Record<string, string>) =>
      request(app, { method: 'GET', url, ...(headers ? { headers } : {}) }),
    post: (app: FastifyInstance, url: string, body?: unknown, headers?: Record<string, string>) =>
      request(app, {
        method: 'POST',
        url,
        ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
        ...(headers ? { headers } : {}),
      }),
  }
}

export interface LoginResult {
  browser: Browser
  code: string
  state: string
  response: LightMyRequestResponse
  me: MeResponse
}

export interface TestContext {
  app: FastifyInstance
  mock: FastifyInstance
  mockUrl: string
  /** The options the app was built with, and the plugin's reading of them. */
  options: WechatAuthOptions
  settings: Settings
  dbFile: string
  /** This app's log lines, parsed. */
  logs: Array<Record<string, unknown>>
  browser(): Browser
  /** POST a control request to the simulator. */
  control(path: string, body?: unknown): Promise<unknown>
  /** The simulator's call counters, e.g. `counts['sns/oauth2/access_token']`. */
  counts(): Promise<Record<string, number>>
  /** `/api/auth/authorize-url` in `browser`: the URL, its state, and the state cookie set. */
  startLogin(
    browser: Browser,
    scope?: Scope,
    returnTo?: string,
  ): Promise<{ url: string; state: string }>
  /** Consent as `persona` in the simulator and follow the authorize URL to its callback. */
  authorize(url: string, persona?: string): Promise<{ code: string; state: string }>
  /** The whole flow in a (new) browser: authorize-url → WeChat → GET /api/me with the code. */
  login(persona?: string, scope?: Scope, browser?: Browser): Promise<LoginResult>
  /** Rows in a table of the app's database (read through the app's own connection). */
  count(table: string): Promise<number>
  /** Empty the app's tables, then sessions and users. */
  wipe(): Promise<void>
  /** Close the app and build a new one on the same database (and simulator). */
  restart(): Promise<void>
  close(): Promise<void>
}

export interface BuildTestOptions {
  /** Plugin options on top of `testOptions()`. */
  options?: Partial<WechatAuthOptions>
  mock?: MockWechatOptions
  /** Build another app than the fixture (apps/bff's tests build the demo). */
  buildApp?: AppBuilder
  /** Fastify server options of the fixture app (e.g. `trustProxy`). */
  fastify?: FastifyServerOptions
  /** The app's own tables, emptied by `wipe()` before sessions and users. Default `['orders']`. */
  appTables?: string[]
}

/** Start a simulator on port 0 and build the app against it. Call `close()` when done. */
export async function build(opts: BuildTestOptions = {}): Promise<TestContext> {
  const mock = buildMockWechat({
    apps: [{ ...DEFAULT_APP, domains: ['127.0.0.1:5173', 'localhost:5173'] }],
    timeoutHoldMs: 1_000,
    ...opts.mock,
  })
  await mock.listen({ port: 0, host: '127.0.0.1' })
  const address = mock.server.address()
  const mockUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`

  const dir = mkdtempSync(join(tmpdir(), 'wxauth-test-'))
  const dbFile = join(dir, 'wxauth.sqlite')
  const options = testOptions({
    wechatApiBase: mockUrl,
    wechatOpenBase: mockUrl,
    databaseUrl: `sqlite:${dbFile}`,
    ...opts.options,
  })
  const settings = resolveOptions(options)
  const logs: Array<Record<string, unknown>> = []
  const logStream = captureLogs(logs)
  const builder = opts.buildApp ?? fixtureBuilder(opts.fastify)
  const appTables = opts.appTables ?? ['orders']

  async function makeApp(): Promise<FastifyInstance> {
    const app = await builder(options, logStream)
    recordBodies(app)
    await app.ready()
    return app
  }

  const ctx: TestContext = {
    app: await makeApp(),
    mock,
    mockUrl,
    options,
    settings,
    dbFile,
    logs,

    browser() {
      const client = cookieClient()
      return {
        cookies: client.cookies,
        cookieHeader: client.cookieHeader,
        request: (opts) => client.request(ctx.app, opts),
        get: (url, headers) => client.get(ctx.app, url, headers),
        post: (url, body, headers) => client.post(ctx.app, url, body, headers),
      }
    },

    async control(path, body) {
      const response = await fetch(`${mockUrl}/__mock/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      })
      if (!response.ok)
        throw new Error(`/__mock/${path}: ${response.status} ${await response.text()}`)
      return response.json()
    },

    async counts() {
      const response = await fetch(`${mockUrl}/__mock/calls`)
      const body = (await response.json()) as { counts: Record<string, number> }
      return body.counts
    },

    async startLogin(browser, scope = 'snsapi_userinfo', returnTo = '/') {
      const response = await browser.get(
        `/api/auth/authorize-url?returnTo=${encodeURIComponent(returnTo)}&scope=${scope}`,
      )
      expect(response.statusCode, response.body).toBe(200)
      return response.json<{ url: string; state: string }>()
    },

    async authorize(url, persona = 'alice') {
      await ctx.control('consent', { action: 'allow', persona })
      const response = await fetch(url, { redirect: 'manual' })
      const location = response.headers.get('location')
      expect(response.status, `authorize answered ${response.status}`).toBe(302)
      const { code, state } = parseAuthParams(location ?? '')
      if (!code || !state) throw new Error(`no code/state in the callback ${location}`)
      ledger.codes.add(code)
      return { code, state }
    },

    async login(persona = 'alice', scope = 'snsapi_userinfo', browser = ctx.browser()) {
      const { url } = await ctx.startLogin(browser, scope)
      const { code, state } = await ctx.authorize(url, persona)
      const response = await browser.get('/api/me', { [CODE_HEADER]: code, [STATE_HEADER]: state })
      expect(response.statusCode, response.body).toBe(200)
      return { browser, code, state, response, me: response.json<MeResponse>() }
    },

    async count(table) {
      const db = ctx.app.wechatAuth.db as unknown as Kysely<Record<string, Record<string, unknown>>>
      const row = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },

    async wipe() {
      const db = ctx.app.wechatAuth.db as unknown as Kysely<Record<string, Record<string, unknown>>>
      for (const table of [...appTables, 'sessions', 'users']) await db.deleteFrom(table).execute()
    },

    async restart() {
      await ctx.app.close()
      ctx.app = await makeApp()
    },

    async close() {
      await ctx.app.close()
      await mock.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return ctx
}

/** Send `X-WeChat-Code`/`X-WeChat-State` headers. */
export function codeHeaders(code: string, state: string): Record<string, string> {
  return { [CODE_HEADER]: code, [STATE_HEADER]: state }
}
