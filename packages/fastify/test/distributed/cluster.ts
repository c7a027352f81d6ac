/**
 * The distributed suite's harness: a throwaway Redis and PostgreSQL per test file
 * (`scripts/test-services.ts`), one simulator on port 0, and N BFF instances sharing them, as behind
 * a load balancer. Every log line and response body goes into the suite-wide leak scan of
 * `../helper.ts` (importing it registers the scan for this file).
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import pg from 'pg'
import { buildMockWechat, DEFAULT_APP } from '@wxauth/mock-wechat'
import {
  CODE_HEADER,
  STATE_HEADER,
  parseAuthParams,
  type MeResponse,
  type Scope,
} from '@wxauth/shared'
import type { WechatAuthOptions } from '../../src/index.js'
import { resolveOptions, type Settings } from '../../src/options.js'
import {
  captureLogs,
  cookieClient,
  fixtureBuilder,
  leakLedger,
  recordBodies,
  testOptions,
  type AppBuilder,
} from '../helper.js'
import {
  requireServices,
  startPostgres,
  startRedis,
  type RunningService,
} from '../../../../scripts/test-services.js'

export { requireServices }

/** One Redis and one PostgreSQL server for a test file. */
export interface Services {
  redis: RunningService
  postgres: RunningService
  /** The URL of database `name` on the test server. */
  databaseUrl(name: string): string
  /** CREATE DATABASE `name` (fresh, empty) and return its URL. */
  createDatabase(name: string): Promise<string>
  stop(): Promise<void>
}

/** Start both servers (call from beforeAll; they take a second or two). */
export async function startServices(): Promise<Services> {
  const [redis, postgres] = await Promise.all([startRedis(), startPostgres()])
  const databaseUrl = (name: string) => postgres.url.replace(/\/postgres$/, `/${name}`)
  return {
    redis,
    postgres,
    databaseUrl,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: postgres.url })
      await client.connect()
      try {
        await client.query(`create database "${name}"`)
      } finally {
        await client.end()
      }
      return databaseUrl(name)
    },
    async stop() {
      await Promise.allSettled([redis.remove(), postgres.remove()])
    },
  }
}

let prefixes = 0
/** A Redis key prefix no other test of this file uses. */
export function freshPrefix(): string {
  return `wxauth-t${process.pid}-${++prefixes}:`
}

/** A cookie-keeping browser whose requests can go to any instance (as a load balancer sends them). */
export interface Browser {
  cookies: Map<string, string>
  request(app: FastifyInstance, opts: InjectOptions): Promise<LightMyRequestResponse>
  get(
    app: FastifyInstance,
    url: string,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>
  post(
    app: FastifyInstance,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>
  cookieHeader(): string
}

export interface Cluster {
  apps: FastifyInstance[]
  mock: FastifyInstance
  mockUrl: string
  options: WechatAuthOptions
  settings: Settings
  prefix: string
  /** Every instance's log lines, parsed. */
  logs: Array<Record<string, unknown>>
  browser(): Browser
  control(path: string, body?: unknown): Promise<unknown>
  counts(): Promise<Record<string, number>>
  /** `/api/auth/authorize-url` on `app`: the URL and its state (the state cookie is kept). */
  startLogin(app: FastifyInstance, browser: Browser, scope?: Scope): Promise<{ url: string }>
  /** Consent as `persona` and follow the authorize URL to its callback's code and state. */
  authorize(url: string, persona?: string): Promise<{ code: string; state: string }>
  /** authorize-url on `start`, WeChat, then GET /api/me with the code on `finish`. */
  login(opts?: {
    persona?: string
    scope?: Scope
    start?: FastifyInstance
    finish?: FastifyInstance
  }): Promise<{ browser: Browser; code: string; me: MeResponse }>
  /** Build one more instance on the same stores. */
  addInstance(): Promise<FastifyInstance>
  close(): Promise<void>
}

export interface ClusterOptions {
  instances?: number
  /** Plugin options on top of the test defaults (databaseUrl and redisUrl come from `services`). */
  options?: Partial<WechatAuthOptions>
  /** Build another app than the fixture (apps/bff's distributed tests build the demo). */
  buildApp?: AppBuilder
  /** Default: a fresh one. */
  prefix?: string
  /** Default `services.postgres.url` (the `postgres` database of this file's server). */
  databaseUrl?: string
}

/** A simulator and `instances` BFF instances on the services' Redis and PostgreSQL. */
export async function startCluster(
  services: Services,
  options: ClusterOptions = {},
): Promise<Cluster> {
  const mock = buildMockWechat({
    apps: [{ ...DEFAULT_APP, domains: ['127.0.0.1:5173'] }],
    timeoutHoldMs: 1_000,
    authorizeRateLimitPerMinute: 10_000,
  })
  await mock.listen({ port: 0, host: '127.0.0.1' })
  const mockUrl = `http://127.0.0.1:${(mock.server.address() as { port: number }).port}`
  const prefix = options.prefix ?? freshPrefix()
  const pluginOptions = testOptions({
    wechatApiBase: mockUrl,
    wechatOpenBase: mockUrl,
    databaseUrl: options.databaseUrl ?? services.postgres.url,
    redisUrl: services.redis.url,
    redisKeyPrefix: prefix,
    ...options.options,
  })
  const settings = resolveOptions(pluginOptions)
  const logs: Array<Record<string, unknown>> = []
  const logStream = captureLogs(logs)
  const builder = options.buildApp ?? fixtureBuilder()

  async function addInstance(): Promise<FastifyInstance> {
    const app = await builder(pluginOptions, logStream)
    recordBodies(app)
    await app.ready()
    cluster.apps.push(app)
    return app
  }

  const cluster: Cluster = {
    apps: [],
    mock,
    mockUrl,
    options: pluginOptions,
    settings,
    prefix,
    logs,
    addInstance,

    browser: cookieClient,

    async control(path, body) {
      const response = await fetch(`${mockUrl}/__mock/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      })
      if (!response.ok) throw new Error(`/__mock/${path}: ${response.status}`)
      return response.json()
    },

    async counts() {
      const response = await fetch(`${mockUrl}/__mock/calls`)
      return ((await response.json()) as { counts: Record<string, number> }).counts
    },

    async startLogin(app, browser, scope = 'snsapi_userinfo') {
      const response = await browser.get(app, `/api/auth/authorize-url?returnTo=%2F&scope=${scope}`)
      expect(response.statusCode, response.body).toBe(200)
      return response.json<{ url: string }>()
    },

    async authorize(url, persona = 'alice') {
      await cluster.control('consent', { action: 'allow', persona })
      const response = await fetch(url, { redirect: 'manual' })
      expect(response.status).toBe(302)
      const { code, state } = parseAuthParams(response.headers.get('location') ?? '')
      if (!code || !state) throw new Error('no code/state in the callback')
      leakLedger().codes.add(code)
      return { code, state }
    },

    async login(opts = {}) {
      const start = opts.start ?? cluster.apps[0]!
      const finish = opts.finish ?? start
      const browser = cluster.browser()
      const { url } = await cluster.startLogin(start, browser, opts.scope)
      const { code, state } = await cluster.authorize(url, opts.persona)
      const response = await browser.get(finish, '/api/me', codeHeaders(code, state))
      expect(response.statusCode, response.body).toBe(200)
      return { browser, code, me: response.json<MeResponse>() }
    },

    async close() {
      await Promise.allSettled(cluster.apps.map((app) => app.close()))
      await mock.close()
    },
  }
  for (let i = 0; i < (options.instances ?? 2); i++) await addInstance()
  return cluster
}

/** `X-WeChat-Code` / `X-WeChat-State` headers. */
export function codeHeaders(code: string, state: string): Record<string, string> {
  return { [CODE_HEADER]: code, [STATE_HEADER]: state }
}

/** Calls per endpoint made between two snapshots of the simulator's counters. */
export function delta(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(after)) {
    if (v !== (before[k] ?? 0)) out[k] = v - (before[k] ?? 0)
  }
  return out
}

/** Poll `check` every 50 ms until it holds or `ms` pass. */
export async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`condition not met within ${ms} ms`)
}
