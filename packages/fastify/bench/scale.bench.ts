/**
 * `pnpm --filter @wxauth/bff bench` (after me.bench.ts): what distributed mode costs and what it buys.
 *
 * 1. Authenticated `GET /api/me` req/s with the Redis + PostgreSQL stores vs the embedded store (the
 *    SQLite file), same settings, one BFF process each, alternating autocannon passes over loopback.
 *    Ratio target ≥ 0.5.
 * 2. Logins/s (authorize-url → simulator consent → GET /api/me with the code) against a simulator
 *    answering every call 50 ms late: spread over 2 instances vs all on 1, same total concurrency,
 *    alternating runs. The ratio shows whether the cross-instance locking serialises logins (it must
 *    not: one lock per code, never a global one; serialised, logins would fall to a few per second).
 *    On one small box the instances share its cores, so ≈ 1 is the expected value. Target ≥ 0.8.
 *
 * Throwaway redis-server and PostgreSQL (scripts/test-services.ts) on loopback; without them the
 * benchmark says so and stops. Ratios measured in one run, never absolute times. Tune with
 * BENCH_SECONDS (per GET /api/me pass, default 5), BENCH_CONNECTIONS (50), BENCH_LOGINS (per login
 * run, default 240) and BENCH_LOGIN_CONCURRENCY (24).
 */
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import {
  availableServices,
  startPostgres,
  startRedis,
  type RunningService,
} from '../../../scripts/test-services.js'

const ROLE = process.argv[2]
const MOCK_LATENCY_MS = 50

/** What a child process reports once listening. */
interface Listening {
  url: string
}

async function serveMock(): Promise<void> {
  const { buildMockWechat, DEFAULT_APP } = await import('@wxauth/mock-wechat')
  const mock = buildMockWechat({
    apps: [{ ...DEFAULT_APP, domains: ['127.0.0.1:5173'] }],
    authorizeRateLimitPerMinute: 1_000_000,
  })
  await mock.listen({ port: 0, host: '127.0.0.1' })
  const listening: Listening = {
    url: `http://127.0.0.1:${(mock.server.address() as { port: number }).port}`,
  }
  process.send?.(listening)
  process.on('disconnect', () => process.exit(0))
}

/** A BFF on DATABASE_URL / REDIS_URL given in the environment by the driver. */
async function serveBff(): Promise<void> {
  const pino = await import('pino')
  const { buildApp } = await import('../src/app.js')
  const { loadConfig } = await import('../src/config.js')
  const dir = mkdtempSync(join(tmpdir(), 'wxauth-scale-bench-'))
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  const config = loadConfig({
    WECHAT_API_BASE: process.env.BENCH_MOCK_URL,
    WECHAT_OPEN_BASE: process.env.BENCH_MOCK_URL,
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dir, 'bench.sqlite')}`,
    REDIS_URL: process.env.BENCH_REDIS_URL,
    STATIC_DIR: join(dir, 'no-spa'),
    LOG_LEVEL: 'info',
  })
  const logStream = pino.default.destination({ dest: '/dev/null', sync: false })
  const app = await buildApp(config, { logStream })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const listening: Listening = {
    url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`,
  }
  process.send?.(listening)
  process.on('disconnect', () => {
    void app.close().finally(() => process.exit(0))
  })
}

// ---------------------------------------------------------------------------------------------
// The driver.

const children: ChildProcess[] = []

function start(role: string, env: Record<string, string> = {}): Promise<Listening> {
  const child = fork(fileURLToPath(import.meta.url), [role], {
    execArgv: process.execArgv,
    env: { ...process.env, ...env },
  })
  children.push(child)
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as Listening))
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)))
  })
}

/** The cookies a response sets, as a Cookie header fragment. */
function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
}

/** One whole login on `bff`; returns the session cookie. */
async function login(bff: string): Promise<string> {
  const start = await fetch(`${bff}/api/auth/authorize-url?returnTo=%2F&scope=snsapi_userinfo`)
  if (start.status !== 200) throw new Error(`authorize-url answered ${start.status}`)
  const stateCookie = cookiesOf(start)
  const { url } = (await start.json()) as { url: string }
  const redirect = await fetch(url, { redirect: 'manual' })
  const callback = new URL(redirect.headers.get('location') ?? '', 'http://x')
  const me = await fetch(`${bff}/api/me`, {
    headers: {
      cookie: stateCookie,
      'x-wechat-code': callback.searchParams.get('code') ?? '',
      'x-wechat-state': callback.searchParams.get('state') ?? '',
    },
  })
  if (me.status !== 200) throw new Error(`login answered ${me.status}: ${await me.text()}`)
  await me.arrayBuffer()
  return cookiesOf(me)
}

async function control(mock: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${mock}/__mock/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`/__mock/${path}: ${response.status}`)
}

/** `count` logins, `concurrency` at a time, round-robin over `instances`: logins per second. */
async function loginRun(
  instances: string[],
  count: number,
  concurrency: number,
): Promise<{ perSecond: number; failures: number }> {
  let next = 0
  let failures = 0
  const deadline = Date.now() + 60_000
  const started = performance.now()
  const worker = async () => {
    while (next < count && Date.now() < deadline) {
      const i = next++
      try {
        await login(instances[i % instances.length]!)
      } catch {
        failures++
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { perSecond: next / ((performance.now() - started) / 1000), failures }
}

async function drive(): Promise<void> {
  const have = availableServices()
  if (!have.redis || !have.postgres) {
    console.warn(
      "\n⚠️  scale benchmark skipped: install Debian's redis-server and postgresql to run it\n",
    )
    if (process.env.CI) process.exitCode = 1
    return
  }
  const seconds = Number(process.env.BENCH_SECONDS ?? 5)
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)
  const logins = Number(process.env.BENCH_LOGINS ?? 240)
  const loginConcurrency = Number(process.env.BENCH_LOGIN_CONCURRENCY ?? 24)

  const services: RunningService[] = []
  try {
    const [redis, postgres] = await Promise.all([startRedis(), startPostgres()])
    services.push(redis, postgres)
    const mock = (await start('serve-mock')).url
    const bffEnv = { BENCH_MOCK_URL: mock }
    const distributedEnv = {
      ...bffEnv,
      BENCH_DATABASE_URL: postgres.url,
      BENCH_REDIS_URL: redis.url,
    }
    const embedded = (await start('serve-bff', bffEnv)).url
    // One at a time: the first migrates, the second finds the schema in place.
    const one = (await start('serve-bff', distributedEnv)).url
    const two = (await start('serve-bff', distributedEnv)).url
    await control(mock, 'consent', { action: 'allow', persona: 'alice' })

    // 1. GET /api/me, embedded vs distributed.
    const cookies = { embedded: await login(embedded), distributed: await login(one) }
    const run = (url: string, cookie: string, duration: number) =>
      autocannon({ url: `${url}/api/me`, connections, duration, headers: { cookie } })
    console.log(
      `GET /api/me: warming up (2 s each), then 2 alternating passes of ${seconds} s, ${connections} connections`,
    )
    await run(embedded, cookies.embedded, 2)
    await run(one, cookies.distributed, 2)
    const totals = { embedded: 0, distributed: 0 }
    let failures = 0
    for (let pass = 0; pass < 2; pass++) {
      for (const [name, url] of [
        ['embedded', embedded],
        ['distributed', one],
      ] as const) {
        const result = await run(url, cookies[name], seconds)
        totals[name] += result.requests.average / 2
        failures += result.non2xx + result.errors + result.timeouts
      }
    }

    // 2. Logins/s with WeChat 50 ms away: 2 instances vs 1.
    await control(mock, 'latency', { ms: MOCK_LATENCY_MS })
    console.log(
      `logins: WeChat ${MOCK_LATENCY_MS} ms away, ${logins} logins per run, ${loginConcurrency} at a time, alternating 1 / 2 instances`,
    )
    await loginRun([one, two], Math.min(logins, 48), loginConcurrency)
    const loginTotals = { single: 0, pair: 0 }
    for (let pass = 0; pass < 2; pass++) {
      for (const [name, instances] of [
        ['single', [one]],
        ['pair', [one, two]],
      ] as const) {
        const result = await loginRun([...instances], logins, loginConcurrency)
        loginTotals[name] += result.perSecond / 2
        failures += result.failures
      }
    }

    const meRatio = totals.distributed / totals.embedded
    const loginRatio = loginTotals.pair / loginTotals.single
    const line = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`)
    console.log('')
    line('GET /api/me, embedded (SQLite), req/s', totals.embedded.toFixed(0))
    line('GET /api/me, distributed (Redis + PostgreSQL), req/s', totals.distributed.toFixed(0))
    line(
      'ratio distributed / embedded (target ≥ 0.5)',
      `${meRatio.toFixed(3)} ${meRatio >= 0.5 ? '✓' : '✗ below target'}`,
    )
    line('logins/s, 1 instance', loginTotals.single.toFixed(1))
    line('logins/s, 2 instances', loginTotals.pair.toFixed(1))
    line(
      'ratio 2 instances / 1 (target ≥ 0.8: no cross-instance serialisation)',
      `${loginRatio.toFixed(3)} ${loginRatio >= 0.8 ? '✓' : '✗ below target'}`,
    )
    line('non-2xx, errors, timeouts, failed logins', String(failures))
    if (failures > 0) process.exitCode = 1
  } finally {
    for (const child of children) child.disconnect()
    await Promise.allSettled(children.map((c) => new Promise((resolve) => c.once('exit', resolve))))
    await Promise.allSettled(services.map((s) => s.remove()))
  }
}

if (ROLE === 'serve-mock') await serveMock()
else if (ROLE === 'serve-bff') await serveBff()
else await drive()
