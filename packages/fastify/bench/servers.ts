/**
 * The servers the benchmarks measure, one per process (`tsx bench/servers.ts <role>`), each
 * reporting `{ url, cookie?, body? }` to its parent once it listens. Every Fastify server here logs
 * the same way (one JSON line per request, to /dev/null), so only the work behind the route differs.
 *
 * - `mock`: the WeChat simulator (`BENCH_MOCK_LATENCY_MS` on the code exchange).
 * - `wxauth`: a bare Fastify app with `@wxauth/fastify` (SQLite in a temp dir, or
 *   `BENCH_DATABASE_URL` + `BENCH_REDIS_URL`), against `BENCH_MOCK_URL` or a simulator of its own,
 *   set up as the README says (`requestIdOptions()`), with its metrics listener on when
 *   `BENCH_METRICS=1`; it logs one user in and reports the session cookie and its `GET /api/me`
 *   body.
 * - `limit`: `GET /api/me` answering `BENCH_BODY` as a precomputed string, no session at all.
 * - `fastify-session`: @fastify/session with its in-memory store, the same body kept in the session.
 * - `secure-session`: @fastify/secure-session (the session sealed in the cookie), the same body.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify'
import pino from 'pino'
import Type from 'typebox'
import { buildMockWechat, DEFAULT_APP } from '@wxauth/mock-wechat'
import { MeResponseSchema } from '@wxauth/shared/schemas'
import wechatAuth, { OneLinePerRequest, createLogger, requestIdOptions } from '../src/index.js'
import { cookiesOf, login, type Listening } from './lib.js'

const COOKIE_SECRET = 'bench-cookie-secret-0123456789-abcdefghijklmnop'

// The parent asks for this process's CPU time around each pass (lib.ts, `cpuMicros`).
process.on('message', (message) => {
  if (message !== 'cpu') return
  const usage = process.cpuUsage()
  process.send?.({ cpuMicros: usage.user + usage.system })
})
/** The origin the benchmarks pretend the SPA has (authorised in the simulator's default app). */
const PUBLIC_URL = 'http://127.0.0.1:5173'

function quietFastify(options: FastifyServerOptions = {}): FastifyInstance {
  return Fastify({
    ...options,
    loggerInstance: createLogger(
      'info',
      pino.destination({ dest: '/dev/null', sync: false }),
    ) as FastifyBaseLogger,
    logController: new OneLinePerRequest(),
  })
}

async function listen(app: FastifyInstance, extra: Omit<Listening, 'url'> = {}): Promise<void> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  process.send?.({ url, ...extra } satisfies Listening)
  process.on('disconnect', () => {
    void app.close().finally(() => process.exit(0))
  })
}

async function mock(): Promise<FastifyInstance> {
  const app = buildMockWechat({
    apps: [{ ...DEFAULT_APP, domains: ['127.0.0.1:5173'] }],
    authorizeRateLimitPerMinute: 1_000_000,
  })
  const latency = Number(process.env.BENCH_MOCK_LATENCY_MS ?? 0)
  await app.ready()
  if (latency > 0) {
    await app.inject({
      method: 'POST',
      url: '/__mock/latency',
      payload: { ms: latency, endpoint: 'sns/oauth2/access_token' },
    })
  }
  return app
}

async function serveWxauth(): Promise<void> {
  let mockUrl = process.env.BENCH_MOCK_URL
  let ownMock: FastifyInstance | null = null
  if (mockUrl === undefined) {
    ownMock = await mock()
    await ownMock.listen({ port: 0, host: '127.0.0.1' })
    mockUrl = `http://127.0.0.1:${(ownMock.server.address() as { port: number }).port}`
  }
  const dir = mkdtempSync(join(tmpdir(), 'wxauth-bench-'))
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  const app = quietFastify(requestIdOptions())
  await app.register(wechatAuth, {
    appId: DEFAULT_APP.appid,
    secret: DEFAULT_APP.secret,
    publicUrl: PUBLIC_URL,
    cookieSecret: COOKIE_SECRET,
    wechatApiBase: mockUrl,
    wechatOpenBase: mockUrl,
    databaseUrl: process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dir, 'bench.sqlite')}`,
    ...(process.env.BENCH_REDIS_URL ? { redisUrl: process.env.BENCH_REDIS_URL } : {}),
    // A benchmark drives many logins from one address; the limiters are not what is measured.
    authRateLimit: 0,
    authRateLimitPerIp: 0,
    exchangeRateLimit: 0,
    exchangeRateLimitPerIp: 0,
    ...(process.env.BENCH_METRICS === '1' ? { metrics: { port: 0 } } : {}),
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  await fetch(`${mockUrl}/__mock/consent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'allow', persona: 'alice' }),
  })
  // Two logins: the second is a returning user, whose session the benchmark uses.
  for (const _ of [1, 2]) {
    const me = await login(url)
    if (me.status !== 200) throw new Error(`login answered ${me.status}: ${await me.text()}`)
    const cookie = cookiesOf(me.headers)
    const body = await me.text()
    if (_ === 2) process.send?.({ url, cookie, body } satisfies Listening)
  }
  process.on('disconnect', () => {
    void Promise.allSettled([app.close(), ownMock?.close()]).finally(() => process.exit(0))
  })
}

async function serveLimit(): Promise<void> {
  const app = quietFastify()
  const body = process.env.BENCH_BODY ?? '{}'
  app.get('/api/me', async (_request, reply) => reply.type('application/json').send(body))
  await listen(app)
}

/** The peers keep the same /api/me body in their session and answer it through the same schema. */
async function servePeer(kind: 'fastify-session' | 'secure-session'): Promise<void> {
  const app = quietFastify()
  const body = JSON.parse(process.env.BENCH_BODY ?? '{}') as unknown
  const response = { response: { 200: MeResponseSchema, 401: Type.Null() } }
  const cookieName = kind === 'fastify-session' ? 'sessionId' : 'session'
  if (kind === 'fastify-session') {
    const [{ default: cookie }, { default: session }] = await Promise.all([
      import('@fastify/cookie'),
      import('@fastify/session'),
    ])
    await app.register(cookie)
    await app.register(session, { secret: COOKIE_SECRET, cookie: { secure: false } })
    app.get('/login', async (request) => {
      ;(request.session as unknown as { set(k: string, v: unknown): void }).set('me', body)
      return { ok: true }
    })
    app.get('/api/me', { schema: response }, async (request, reply) => {
      const me = (request.session as unknown as { get(k: string): unknown }).get('me')
      return me === undefined ? reply.code(401).send(null) : me
    })
  } else {
    const { default: secureSession } = await import('@fastify/secure-session')
    await app.register(secureSession, {
      key: Buffer.alloc(32, 7),
      cookieName,
      cookie: { path: '/', httpOnly: true },
    })
    app.get('/login', async (request) => {
      request.session.set('me' as never, body as never)
      return { ok: true }
    })
    app.get('/api/me', { schema: response }, async (request, reply) => {
      const me = request.session.get('me' as never)
      return me === undefined ? reply.code(401).send(null) : me
    })
  }
  await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  const login = await fetch(`${url}/login`)
  process.send?.({ url, cookie: cookiesOf(login.headers) } satisfies Listening)
  process.on('disconnect', () => {
    void app.close().finally(() => process.exit(0))
  })
}

const role = process.argv[2]
if (role === 'mock') await listen(await mock())
else if (role === 'wxauth') await serveWxauth()
else if (role === 'limit') await serveLimit()
else if (role === 'fastify-session' || role === 'secure-session') await servePeer(role)
else throw new Error(`unknown server role ${role}`)
