#!/usr/bin/env node
// A tiny round-robin HTTP load balancer for running N BFF instances on one box (apps/bff/README.md,
// "Scaling out"). node:http only, no dependencies. Not a production proxy: it shows the contract
// (any instance may serve any request; readiness takes an instance out of rotation) on loopback.
//
//   node scripts/lb.mjs [--port 8080] [--host 127.0.0.1] http://127.0.0.1:3001 http://127.0.0.1:3002
//
// - Requests go to the next ready upstream in turn; the body is streamed through, headers kept, with
//   X-Forwarded-For/-Proto/-Host added.
// - Every upstream's GET /readyz is polled (LB_CHECK_MS, default 1000 ms): a 503 (Redis or the
//   database down) or no answer takes it out of rotation until it answers 200 again. With none
//   ready, requests still go round-robin, so clients see the BFF's own 503 JSON.
// - Request bodies are read in full first (at most 1 MB; the BFF takes 64 KB), so a request can be
//   sent again: a connection refused (an instance restarting) is retried once on the next upstream
//   whatever the method (nothing reached the refusing one); a kept-alive socket the upstream closed
//   while idle (ECONNRESET/EPIPE on a reused socket, no answer yet) is retried once for GET/HEAD.
//   Any other failure answers 502 in the BFF's error shape.
// - SIGINT/SIGTERM close it.
import { request as httpRequest, createServer } from 'node:http'

function parseArgs(argv) {
  const opts = {
    port: Number(process.env.LB_PORT ?? 8080),
    host: process.env.LB_HOST ?? '127.0.0.1',
  }
  const upstreams = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--port') opts.port = Number(argv[++i])
    else if (arg === '--host') opts.host = argv[++i]
    else upstreams.push(new URL(arg))
  }
  for (const u of (process.env.LB_UPSTREAMS ?? '').split(',').filter(Boolean)) {
    upstreams.push(new URL(u))
  }
  if (upstreams.length === 0 || !Number.isInteger(opts.port)) {
    process.stderr.write(
      'usage: node scripts/lb.mjs [--port 8080] [--host 127.0.0.1] <upstream URL>...\n',
    )
    process.exit(2)
  }
  return { ...opts, upstreams: upstreams.map((url) => ({ url, ready: true })) }
}

const { port, host, upstreams } = parseArgs(process.argv.slice(2))
const checkMs = Number(process.env.LB_CHECK_MS ?? 1000)
let turn = 0

/** The next upstream in turn, preferring ready ones. */
function pick(exclude) {
  const candidates = upstreams.filter((u) => u !== exclude)
  const ready = candidates.filter((u) => u.ready)
  const pool = ready.length > 0 ? ready : candidates.length > 0 ? candidates : upstreams
  return pool[turn++ % pool.length]
}

function check(upstream) {
  const req = httpRequest(new URL('/readyz', upstream.url), { timeout: checkMs }, (res) => {
    upstream.ready = res.statusCode === 200
    res.resume()
  })
  req.on('timeout', () => req.destroy(new Error('timeout')))
  req.on('error', () => {
    upstream.ready = false
  })
  req.end()
}
const checker = setInterval(() => upstreams.forEach(check), checkMs)
upstreams.forEach(check)

function fail(res, statusCode, message, code = 'SERVICE_UNAVAILABLE') {
  if (res.headersSent) return res.destroy()
  res.writeHead(statusCode, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify({ statusCode, code, message }))
}

/** Bodies larger than this are refused (413) rather than buffered. */
const MAX_BODY_BYTES = 1024 * 1024

function forward(req, res, body, upstream, retried) {
  const headers = { ...req.headers }
  const peer = req.socket.remoteAddress ?? ''
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${peer}`
    : peer
  headers['x-forwarded-proto'] ??= 'http'
  headers['x-forwarded-host'] ??= headers.host ?? ''
  const proxied = httpRequest(
    {
      protocol: upstream.url.protocol,
      hostname: upstream.url.hostname,
      port: upstream.url.port,
      method: req.method,
      path: req.url,
      headers,
    },
    (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.rawHeaders)
      upstreamRes.pipe(res)
    },
  )
  proxied.on('error', (error) => {
    const safe = req.method === 'GET' || req.method === 'HEAD'
    const refused = error.code === 'ECONNREFUSED'
    const stale = proxied.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')
    if (refused) upstream.ready = false
    if (!retried && !res.headersSent && (refused || (stale && safe))) {
      forward(req, res, body, pick(upstream), true)
      return
    }
    fail(res, 502, 'The upstream BFF instance did not answer; please try again')
  })
  proxied.end(body)
}

const server = createServer((req, res) => {
  const chunks = []
  let size = 0
  req.on('data', (chunk) => {
    size += chunk.length
    if (size > MAX_BODY_BYTES) {
      req.destroy()
      fail(res, 413, 'The request body is too large', 'VALIDATION_ERROR')
      return
    }
    chunks.push(chunk)
  })
  req.on('end', () => forward(req, res, Buffer.concat(chunks), pick(), false))
  req.on('error', () => res.destroy())
})
server.listen(port, host, () => {
  const address = server.address()
  const url = `http://${host}:${typeof address === 'object' && address ? address.port : port}`
  process.stdout.write(
    `lb listening on ${url} -> ${upstreams.map((u) => u.url.origin).join(', ')}\n`,
  )
})

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    clearInterval(checker)
    server.close(() => process.exit(0))
    server.closeAllConnections()
  })
}
