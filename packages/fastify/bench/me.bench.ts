/**
 * `GET /api/me` with a session cookie (embedded store) next to, each in a process of its own:
 * (a) the limit: a Fastify route answering the same JSON as a precomputed string, no session;
 * (b) @fastify/session with its in-memory store; (c) @fastify/secure-session (sealed cookie);
 * (d) the same wxauth app with its metrics listener on (the cost of metrics, goal under 5 %, in req/s
 * and in the server's CPU time per request).
 * All five log one line per request the same way. Alternating autocannon passes; ratios of req/s.
 * Tune with BENCH_SECONDS (per pass, default 5), BENCH_CONNECTIONS (50), BENCH_PASSES (2).
 */
import { Report, alternate, envNumber, startServer, stopServers, type Server } from './lib.js'

const seconds = envNumber('BENCH_SECONDS', 5)
const connections = envNumber('BENCH_CONNECTIONS', 50)
const passes = envNumber('BENCH_PASSES', 2)

try {
  const wxauth = await startServer('wxauth')
  const body = wxauth.body ?? '{}'
  const [metered, limit, session, secure] = await Promise.all([
    startServer('wxauth', { BENCH_METRICS: '1' }),
    startServer('limit', { BENCH_BODY: body }),
    startServer('fastify-session', { BENCH_BODY: body }),
    startServer('secure-session', { BENCH_BODY: body }),
  ])
  const target = (url: string, cookie?: string, server?: Server) => ({
    url: `${url}/api/me`,
    ...(cookie ? { headers: { cookie } } : {}),
    ...(server ? { server } : {}),
  })
  console.log(
    `GET /api/me: 2 s warm-up each, then ${passes} alternating passes of ${seconds} s, ${connections} connections`,
  )
  const { rps, cpuPerRequest, failures } = await alternate(
    {
      limit: target(limit.url, undefined, limit),
      wxauth: target(wxauth.url, wxauth.cookie, wxauth),
      'wxauth+metrics': target(metered.url, metered.cookie, metered),
      'fastify-session': target(session.url, session.cookie, session),
      'secure-session': target(secure.url, secure.cookie, secure),
    },
    { seconds, connections, passes },
  )
  const report = new Report('GET /api/me (session cookie, embedded SQLite store)')
  for (const [name, value] of Object.entries(rps)) report.figure(`${name}, req/s`, value.toFixed(0))
  for (const [name, value] of Object.entries(cpuPerRequest)) {
    report.figure(`${name}, server CPU per request, µs`, value.toFixed(1))
  }
  report.failed(failures)
  report.ratio('wxauth / the limit', rps.wxauth! / rps.limit!, 0.8, 'higher')
  // The same comparison in the server's own CPU time per request (the limit's over wxauth's), which
  // the load generator sharing the machine disturbs less than req/s.
  report.ratio(
    'wxauth / the limit, by server CPU per request',
    cpuPerRequest.limit! / cpuPerRequest.wxauth!,
    0.8,
    'higher',
  )
  report.ratio('wxauth / @fastify/session', rps.wxauth! / rps['fastify-session']!, 1, 'higher')
  report.ratio(
    'wxauth / @fastify/secure-session',
    rps.wxauth! / rps['secure-session']!,
    1,
    'higher',
  )
  report.ratio(
    'metrics on / off, req/s (wxauth+metrics / wxauth)',
    rps['wxauth+metrics']! / rps.wxauth!,
    0.95,
    'higher',
  )
  // The same cost measured as CPU time per request, which other load on the machine disturbs less.
  report.ratio(
    'metrics on / off, server CPU per request',
    cpuPerRequest['wxauth+metrics']! / cpuPerRequest.wxauth!,
    1.05,
    'lower',
  )
  report.print()
} finally {
  await stopServers()
}
