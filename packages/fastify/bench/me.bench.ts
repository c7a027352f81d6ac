/**
 * `GET /api/me` with a session cookie (embedded store) next to, each in a process of its own:
 * (a) the limit: a Fastify route answering the same JSON as a precomputed string, no session;
 * (b) @fastify/session with its in-memory store; (c) @fastify/secure-session (sealed cookie).
 * All four log one line per request the same way. Alternating autocannon passes; ratios of req/s.
 * Tune with BENCH_SECONDS (per pass, default 5), BENCH_CONNECTIONS (50), BENCH_PASSES (2).
 */
import { Report, alternate, envNumber, startServer, stopServers } from './lib.js'

const seconds = envNumber('BENCH_SECONDS', 5)
const connections = envNumber('BENCH_CONNECTIONS', 50)
const passes = envNumber('BENCH_PASSES', 2)

try {
  const wxauth = await startServer('wxauth')
  const body = wxauth.body ?? '{}'
  const [limit, session, secure] = await Promise.all([
    startServer('limit', { BENCH_BODY: body }),
    startServer('fastify-session', { BENCH_BODY: body }),
    startServer('secure-session', { BENCH_BODY: body }),
  ])
  const target = (url: string, cookie?: string) => ({
    url: `${url}/api/me`,
    ...(cookie ? { headers: { cookie } } : {}),
  })
  console.log(
    `GET /api/me: 2 s warm-up each, then ${passes} alternating passes of ${seconds} s, ${connections} connections`,
  )
  const { rps, failures } = await alternate(
    {
      limit: target(limit.url),
      wxauth: target(wxauth.url, wxauth.cookie),
      'fastify-session': target(session.url, session.cookie),
      'secure-session': target(secure.url, secure.cookie),
    },
    { seconds, connections, passes },
  )
  const report = new Report('GET /api/me (session cookie, embedded SQLite store)')
  for (const [name, value] of Object.entries(rps)) report.figure(`${name}, req/s`, value.toFixed(0))
  report.failed(failures)
  report.ratio('wxauth / the limit', rps.wxauth! / rps.limit!, 0.8, 'higher')
  report.ratio('wxauth / @fastify/session', rps.wxauth! / rps['fastify-session']!, 1, 'higher')
  report.ratio(
    'wxauth / @fastify/secure-session',
    rps.wxauth! / rps['secure-session']!,
    1,
    'higher',
  )
  report.print()
} finally {
  await stopServers()
}
