/**
 * `pnpm --filter @wxauth/bff bench`: what an authenticated `GET /api/me` costs next to a bare Fastify
 * route returning the same JSON, and how many WeChat calls a login makes.
 *
 * One child process hosts both servers with the same settings (Node flags, pino options writing to
 * /dev/null, one log line per request); this process drives them with autocannon over loopback, in
 * alternating passes, and prints req/s of both and their ratio (target ≥ 0.65). Ratios from one run,
 * never absolute times. Tune with BENCH_SECONDS (per pass, default 5) and BENCH_CONNECTIONS (50).
 */
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

interface Ready {
  appPort: number
  barePort: number
  cookie: string
  firstLoginCalls: number
  returningLoginCalls: number
}

const SNS_CALLS = [
  'sns/oauth2/access_token',
  'sns/userinfo',
  'sns/oauth2/refresh_token',
  'sns/auth',
]

async function serve(): Promise<void> {
  const [{ default: Fastify }, pino, { buildMockWechat, DEFAULT_APP }, { parseAuthParams }] =
    await Promise.all([
      import('fastify'),
      import('pino'),
      import('@wxauth/mock-wechat'),
      import('@wxauth/shared'),
    ])
  const { buildApp } = await import('../src/app.js')
  const { loadConfig } = await import('../src/config.js')
  const { createLogger, OneLinePerRequest } = await import('../src/logger.js')

  const mock = buildMockWechat({ apps: [{ ...DEFAULT_APP, domains: ['127.0.0.1:5173'] }] })
  await mock.listen({ port: 0, host: '127.0.0.1' })
  const mockUrl = `http://127.0.0.1:${(mock.server.address() as { port: number }).port}`
  const dir = mkdtempSync(join(tmpdir(), 'wxauth-bench-'))
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))

  const config = loadConfig({
    WECHAT_API_BASE: mockUrl,
    WECHAT_OPEN_BASE: mockUrl,
    DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`,
    STATIC_DIR: join(dir, 'no-spa'),
    LOG_LEVEL: 'info',
  })
  const devNull = () => pino.default.destination({ dest: '/dev/null', sync: false })
  const app = await buildApp(config, { logStream: devNull() })
  await app.ready()

  const calls = async (): Promise<number> => {
    const { counts } = (await (await fetch(`${mockUrl}/__mock/calls`)).json()) as {
      counts: Record<string, number>
    }
    return SNS_CALLS.reduce((n, endpoint) => n + (counts[endpoint] ?? 0), 0)
  }
  /** A login in a fresh browser: authorize-url → simulator consent → GET /api/me with the code. */
  const login = async (): Promise<{ cookie: string; calls: number }> => {
    const before = await calls()
    const start = await app.inject('/api/auth/authorize-url?returnTo=/&scope=snsapi_userinfo')
    const stateCookie = start.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
    await fetch(`${mockUrl}/__mock/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'allow', persona: 'alice' }),
    })
    const redirect = await fetch(start.json<{ url: string }>().url, { redirect: 'manual' })
    const { code, state } = parseAuthParams(redirect.headers.get('location') ?? '')
    const me = await app.inject({
      url: '/api/me',
      headers: { cookie: stateCookie, 'x-wechat-code': code ?? '', 'x-wechat-state': state ?? '' },
    })
    if (me.statusCode !== 200) throw new Error(`login failed: ${me.statusCode} ${me.body}`)
    const sid = me.cookies.find((c) => c.name === 'wxauth_sid')
    return { cookie: `wxauth_sid=${sid?.value}`, calls: (await calls()) - before }
  }
  const first = await login()
  const returning = await login()

  const body: unknown = (
    await app.inject({ url: '/api/me', headers: { cookie: first.cookie } })
  ).json()
  const bare = Fastify({
    loggerInstance: createLogger('info', devNull()),
    logController: new OneLinePerRequest(),
  })
  bare.get('/api/me', async () => body)

  await app.listen({ port: 0, host: '127.0.0.1' })
  await bare.listen({ port: 0, host: '127.0.0.1' })
  const ready: Ready = {
    appPort: (app.server.address() as { port: number }).port,
    barePort: (bare.server.address() as { port: number }).port,
    cookie: returning.cookie,
    firstLoginCalls: first.calls,
    returningLoginCalls: returning.calls,
  }
  process.send?.(ready)
  process.on('disconnect', () => process.exit(0))
}

async function drive(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5)
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)
  const child = fork(fileURLToPath(import.meta.url), ['serve'], { execArgv: process.execArgv })
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready))
    child.once('exit', (code) => reject(new Error(`the server process exited with ${code}`)))
  })
  const run = (port: number, duration: number, headers: Record<string, string> = {}) =>
    autocannon({ url: `http://127.0.0.1:${port}/api/me`, connections, duration, headers })
  const target = {
    bare: () => run(ready.barePort, seconds),
    app: () => run(ready.appPort, seconds, { cookie: ready.cookie }),
  }

  console.log(
    `warming up (2 s each), then 2 alternating passes of ${seconds} s, ${connections} connections`,
  )
  await run(ready.barePort, 2)
  await run(ready.appPort, 2, { cookie: ready.cookie })
  const totals = { bare: 0, app: 0 }
  let failures = 0
  for (let pass = 0; pass < 2; pass++) {
    for (const name of ['bare', 'app'] as const) {
      const result = await target[name]()
      totals[name] += result.requests.average
      failures += result.non2xx + result.errors + result.timeouts
    }
  }
  child.disconnect()

  const bare = totals.bare / 2
  const app = totals.app / 2
  const ratio = app / bare
  const line = (label: string, value: string) => console.log(`${label.padEnd(52)} ${value}`)
  console.log('')
  line('bare Fastify route (same JSON), req/s', bare.toFixed(0))
  line('authenticated GET /api/me (session cookie), req/s', app.toFixed(0))
  line('ratio (target ≥ 0.65)', `${ratio.toFixed(3)} ${ratio >= 0.65 ? '✓' : '✗ below target'}`)
  line('non-2xx, errors, timeouts', String(failures))
  line('WeChat calls, first login (target 2)', String(ready.firstLoginCalls))
  line('WeChat calls, returning login (target 1)', String(ready.returningLoginCalls))
  if (failures > 0) process.exitCode = 1
}

if (process.argv[2] === 'serve') await serve()
else await drive()
