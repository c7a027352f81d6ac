/**
 * A returning user's login with WeChat 50 ms away, against the one round trip it cannot avoid.
 * The simulator (its own process) answers `sns/oauth2/access_token` 50 ms late; the app (its own
 * process) runs `@wxauth/fastify` on SQLite. Each iteration times, from this process:
 * - the baseline: one request straight to the simulator's `sns/oauth2/access_token`;
 * - the login: `GET /api/me` carrying a fresh silent (`snsapi_base`) code for a user the app
 *   already knows: one exchange, the stored profile, a new session, the cookie.
 * Medians of BENCH_LOGINS iterations (default 60), alternating; the ratio login / baseline.
 */
import { DEFAULT_APP } from '@wxauth/mock-wechat'
import { Report, envNumber, login, startServer, stopServers } from './lib.js'

const iterations = envNumber('BENCH_LOGINS', 60)
const LATENCY_MS = 50

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

try {
  const mock = await startServer('mock', { BENCH_MOCK_LATENCY_MS: String(LATENCY_MS) })
  const app = await startServer('wxauth', { BENCH_MOCK_URL: mock.url })
  const exchangeUrl =
    `${mock.url}/sns/oauth2/access_token?appid=${DEFAULT_APP.appid}&secret=${DEFAULT_APP.secret}` +
    '&code=bench-baseline-code&grant_type=authorization_code'
  const report = new Report(`A returning user's login, WeChat ${LATENCY_MS} ms away`)
  const timings = { baseline: [] as number[], login: [] as number[] }
  for (let i = 0; i < iterations + 5; i++) {
    const began = performance.now()
    const direct = await fetch(exchangeUrl)
    await direct.text()
    const baselineMs = performance.now() - began
    const me = await login(app.url, 'snsapi_base')
    if (me.status !== 200) report.failed(1)
    await me.text()
    // The first few warm up connections and code paths.
    if (i >= 5) {
      timings.baseline.push(baselineMs)
      timings.login.push(me.loginMs ?? Number.NaN)
    }
  }
  const baseline = median(timings.baseline)
  const loginMs = median(timings.login)
  report.figure('one round trip to sns/oauth2/access_token, median ms', baseline.toFixed(1))
  report.figure('GET /api/me with the code (the login), median ms', loginMs.toFixed(1))
  report.ratio('login / the one round trip', loginMs / baseline, 1.1, 'lower')
  report.print()
} finally {
  await stopServers()
}
