/**
 * What distributed mode costs and what it buys (after me.bench.ts and login.bench.ts).
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
import {
  availableServices,
  startPostgres,
  startRedis,
  type RunningService,
} from '../../../scripts/test-services.js'
import { Report, alternate, envNumber, login, startServer, stopServers } from './lib.js'

const MOCK_LATENCY_MS = 50

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
        const me = await login(instances[i % instances.length]!)
        await me.text()
        if (me.status !== 200) failures++
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
      "\n⚠️  scale benchmark not run: install Debian's redis-server and postgresql to run it\n",
    )
    if (process.env.CI) process.exitCode = 1
    return
  }
  const seconds = envNumber('BENCH_SECONDS', 5)
  const connections = envNumber('BENCH_CONNECTIONS', 50)
  const logins = envNumber('BENCH_LOGINS', 240)
  const loginConcurrency = envNumber('BENCH_LOGIN_CONCURRENCY', 24)

  const services: RunningService[] = []
  try {
    const [redis, postgres] = await Promise.all([startRedis(), startPostgres()])
    services.push(redis, postgres)
    const mock = (await startServer('mock')).url
    const distributedEnv = {
      BENCH_MOCK_URL: mock,
      BENCH_DATABASE_URL: postgres.url,
      BENCH_REDIS_URL: redis.url,
    }
    const embedded = await startServer('wxauth', { BENCH_MOCK_URL: mock })
    // One at a time: the first migrates, the second finds the schema in place.
    const one = await startServer('wxauth', distributedEnv)
    const two = await startServer('wxauth', distributedEnv)
    const report = new Report('Distributed mode (Redis + PostgreSQL) vs embedded (SQLite)')

    // 1. GET /api/me, embedded vs distributed.
    console.log(
      `GET /api/me: 2 s warm-up each, then 2 alternating passes of ${seconds} s, ${connections} connections`,
    )
    const me = await alternate(
      {
        embedded: { url: `${embedded.url}/api/me`, headers: { cookie: embedded.cookie ?? '' } },
        distributed: { url: `${one.url}/api/me`, headers: { cookie: one.cookie ?? '' } },
      },
      { seconds, connections, passes: 2 },
    )
    report.failed(me.failures)

    // 2. Logins/s with WeChat 50 ms away: 2 instances vs 1.
    await control(mock, 'latency', { ms: MOCK_LATENCY_MS })
    console.log(
      `logins: WeChat ${MOCK_LATENCY_MS} ms away, ${logins} logins per run, ${loginConcurrency} at a time, alternating 1 / 2 instances`,
    )
    report.failed(
      (await loginRun([one.url, two.url], Math.min(logins, 48), loginConcurrency)).failures,
    )
    const loginTotals = { single: 0, pair: 0 }
    for (let pass = 0; pass < 2; pass++) {
      for (const [name, instances] of [
        ['single', [one.url]],
        ['pair', [one.url, two.url]],
      ] as const) {
        const result = await loginRun([...instances], logins, loginConcurrency)
        loginTotals[name] += result.perSecond / 2
        report.failed(result.failures)
      }
    }

    report.figure('GET /api/me, embedded (SQLite), req/s', me.rps.embedded!.toFixed(0))
    report.figure(
      'GET /api/me, distributed (Redis + PostgreSQL), req/s',
      me.rps.distributed!.toFixed(0),
    )
    report.figure('logins/s, 1 instance', loginTotals.single.toFixed(1))
    report.figure('logins/s, 2 instances', loginTotals.pair.toFixed(1))
    report.ratio(
      'GET /api/me distributed / embedded',
      me.rps.distributed! / me.rps.embedded!,
      0.5,
      'higher',
    )
    report.ratio(
      'logins/s 2 instances / 1 (no cross-instance serialisation)',
      loginTotals.pair / loginTotals.single,
      0.8,
      'higher',
    )
    report.print()
  } finally {
    await stopServers()
    await Promise.allSettled(services.map((s) => s.remove()))
  }
}

await drive()
