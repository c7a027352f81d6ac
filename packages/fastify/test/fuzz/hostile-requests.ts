/**
 * Generated hostile HTTP requests (fast-check) and a raw-socket client to send them, so nothing
 * between the generator and the server's parser tidies them up: malformed request lines, odd
 * methods, dot segments and bad escapes in paths, query strings built from what the redaction and the
 * validators care about, garbage cookies and auth headers, bodies that are not JSON, are too large,
 * too deep, or pollute prototypes. Only bad input: nothing here can carry a valid state cookie (it is
 * signed with the server's secret), so no request may ever reach WeChat or write a row.
 * Shared by this package's fuzz suite and apps/bff's (over the real server process).
 */
import { connect } from 'node:net'
import fc from 'fast-check'

/** What the server answered: its status line's code (null: no answer). */
export interface RawAnswer {
  status: number | null
  /** The first line of the answer, for failure messages. */
  head: string
  /** No answer before the timeout: the server kept the connection open and silent. */
  timedOut: boolean
}

/** Send `request` (bytes, exactly) on a new connection; the status of the answer. */
export function sendRaw(
  port: number,
  request: string | Buffer,
  timeoutMs = 5_000,
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let data = ''
    let done = false
    const finish = (timedOut = false) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      const head = data.split('\r\n', 1)[0] ?? ''
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(head)
      resolve({ status: match ? Number(match[1]) : null, head, timedOut })
    }
    const timer = setTimeout(() => finish(true), timeoutMs)
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      data += chunk
      // The status line is all we need; the rest of the answer may stream on.
      if (data.includes('\r\n')) finish()
    })
    socket.on('error', () => finish())
    socket.on('close', () => finish())
    // Written, not ended: a client that half-closes first makes Node drop a streamed answer (a
    // static file) as "closed prematurely". `Connection: close` ends it from the server's side.
    socket.on('connect', () => socket.write(request))
  })
}

/** A string from `parts`, joined: generators that hit the edge cases instead of random noise. */
const joined = (parts: string[], maxLength: number) =>
  fc.array(fc.constantFrom(...parts), { maxLength }).map((p) => p.join(''))

/** The characters and words parsers and redaction trip on (also logging.test.ts's URLs). */
export const HOSTILE_BITS = [
  '?',
  '=',
  '&',
  '#',
  '%',
  '%3F',
  '%3D',
  '%26',
  '%23',
  '%25',
  '%00',
  '%0d%0a',
  '%ff',
  '%E0%A4',
  '%ZZ',
  '%2e%2e',
  '..',
  '/',
  '//',
  '\\',
  ';',
  ',',
  '*',
  '+',
  ' ',
  '"',
  "'",
  '<',
  '>',
  '{',
  '}',
  '[',
  ']',
  '|',
  '^',
  '`',
  'é',
  '雨',
  '🍡',
  '\u0000',
  '\u007f',
  'code',
  'state',
  'returnTo',
  'scope',
  'url',
  'snsapi_userinfo',
  'javascript:',
  'http://evil.com',
  'a',
  'Z',
  '0',
  '9',
]

/** Paths of the app (and some that are not), with hostile segments appended. */
export const KNOWN_PATHS = [
  '/',
  '/api',
  '/api/me',
  '/api/me/refresh',
  '/api/me/subscription',
  '/api/auth/authorize-url',
  '/api/auth/session',
  '/api/auth/logout',
  '/api/jssdk/config',
  '/api/orders',
  '/api/activity',
  '/api/activity/join',
  '/healthz',
  '/readyz',
  '/docs',
  '/docs/json',
  '/docs/static/index.html',
  '/assets/index.js',
  '/MP_verify_abc.txt',
  '/activity',
]

/**
 * What a browser or curl would put on the request line: every character outside printable ASCII
 * (space, controls, non-ASCII) percent-encoded; hostile escapes already in the text are kept.
 */
const onTheWire = (text: string) =>
  text.replace(/[^!-~]/gu, (c) => {
    try {
      return encodeURIComponent(c)
    } catch {
      return '%EF%BF%BD' // a lone surrogate
    }
  })

const path = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KNOWN_PATHS) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...KNOWN_PATHS), joined(HOSTILE_BITS, 6))
      .map(([known, tail]) => known + tail.replace(/[?#]/g, '')),
  },
)

const queryValue = fc.oneof(
  joined(HOSTILE_BITS, 12),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('//evil.com', '/\\evil.com', 'https://evil.com/x', '/me', 'snsapi_base', ''),
  fc.nat({ max: 5000 }).map((n) => 'x'.repeat(n)),
  fc.nat({ max: 2000 }).map((n) => '=?'.repeat(n)),
)
const query = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('returnTo', 'scope', 'url', 'code', 'state', 'x'),
        joined(HOSTILE_BITS, 3),
      ),
      queryValue,
    ),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'))

const pathAndQuery = fc.tuple(path, query).map(([p, q]) => (q ? `${p}?${q}` : p))

/** A request target: mostly one a client could send, sometimes one the parser must refuse. */
export const target = fc.oneof(
  { weight: 12, arbitrary: pathAndQuery.map(onTheWire) },
  { weight: 2, arbitrary: pathAndQuery },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '*',
      'http://evil.com/api/me',
      '//api/me',
      'api/me',
      '/%',
      '/\u0000',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((s) => `/${s}`) },
)

export const method = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'POST') },
  { weight: 2, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS') },
  { weight: 1, arbitrary: fc.constantFrom('FOO', 'get', 'CONNECT', 'TRACE', 'G ET') },
)

/** Header values that look like what the login reads, but can never pass a signature check. */
const fakeSigned = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9_-]{0,60}$/), fc.stringMatching(/^[A-Za-z0-9+/=.]{0,50}$/))
  .map(([value, sig]) => `${value}.${sig}`)

const cookieHeader = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        'wxauth_sid',
        'wxauth_state',
        'wxauth_bid',
        '__Host-wxauth_sid',
        '__Host-wxauth_state',
        'other',
        '',
        '=',
      ),
      fc.oneof(
        fakeSigned,
        joined(HOSTILE_BITS, 10),
        fc.nat({ max: 9000 }).map((n) => 'c'.repeat(n)),
      ),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('; '))

const wechatCode = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{32}$/) },
  { weight: 2, arbitrary: joined(HOSTILE_BITS, 10).map((v) => v.replace(/[^ -~]/gu, '')) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'a'.repeat(200), 'é雨') },
)

/** A header value; CR/LF and NUL are kept in a few, which the parser must refuse cleanly. */
const headerValue = fc.oneof(
  { weight: 10, arbitrary: joined(HOSTILE_BITS, 12).map((v) => v.replace(/[^ -~]/gu, '')) },
  { weight: 1, arbitrary: fc.constantFrom('a\r\nX-Injected: 1', 'a\u0000b', 'x'.repeat(20_000)) },
)

export const headers = fc.record(
  {
    cookie: cookieHeader,
    'x-wechat-code': wechatCode,
    'x-wechat-state': wechatCode,
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'text/plain',
      'application/json; charset=utf-16',
      'garbage/;;;',
      '',
    ),
    'x-forwarded-for': fc.oneof(fc.ipV4(), fc.ipV6(), headerValue),
    'user-agent': headerValue,
    origin: fc.constantFrom('https://evil.com', 'null', 'http://127.0.0.1:5173'),
    'x-random': headerValue,
  },
  { requiredKeys: [] },
)

/** JSON nested `depth` deep. */
const deep = (depth: number, open: string, close: string) =>
  open.repeat(depth) + close.repeat(depth)

export const body = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ code: wechatCode, state: wechatCode }).map((o) => JSON.stringify(o)),
  },
  { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"__proto__":{"polluted":true},"code":"a","state":"b"}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"code":"a","code":"b","state":"c"}',
      '{"code":',
      '\u0000\u0001',
      'null',
      '[]',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 100_000 }).map((d) => deep(d, '[', ']')) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((d) => deep(d, '{"a":', '}')) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((n) => `"${'b'.repeat(n)}"`),
  },
)

/** One generated request, as bytes. */
export interface HostileRequest {
  method: string
  target: string
  headers: Record<string, string>
  body: string | null
  /** Send the body chunked (with a broken chunk now and then). */
  chunked: boolean
}

export const hostileRequest: fc.Arbitrary<HostileRequest> = fc
  .record({ method, target, headers, body: fc.option(body, { nil: null }), chunked: fc.boolean() })
  .map((r) => ({ ...r, chunked: r.chunked && r.body !== null && r.body.length % 3 === 0 }))

/**
 * Check one answer: an answer below 500, except that Node's HTTP server closes a CONNECT request
 * (a tunnel it was never asked to serve) without one. A silent, open connection always fails.
 */
export function checkAnswer(request: HostileRequest, answer: RawAnswer): string | null {
  const what = () => describeRequest(request)
  if (answer.timedOut) return `no answer within the timeout to ${what()}`
  if (answer.status === null) {
    return request.method === 'CONNECT' ? null : `connection closed without an answer to ${what()}`
  }
  return answer.status < 500 ? null : `${answer.head} for ${what()}`
}

/** A request, shortened for a failure message. */
export function describeRequest(r: HostileRequest): string {
  const cut = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…(${s.length})` : s)
  return JSON.stringify({
    method: r.method,
    target: cut(r.target),
    headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, cut(v)])),
    body: r.body === null ? null : cut(r.body),
    chunked: r.chunked,
  })
}

/** The exact bytes of a generated request. */
export function toBytes(request: HostileRequest): Buffer {
  const lines = [`${request.method} ${request.target} HTTP/1.1`, 'Host: 127.0.0.1']
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`)
  lines.push('Connection: close')
  let payload = Buffer.alloc(0)
  if (request.body !== null) {
    const bytes = Buffer.from(request.body, 'utf8')
    if (request.chunked) {
      lines.push('Transfer-Encoding: chunked')
      // A chunk size that lies by one, every other time: the parser must refuse it, not hang.
      const size = bytes.length + (bytes.length % 2 === 0 ? 0 : 1)
      payload = Buffer.concat([
        Buffer.from(`${size.toString(16)}\r\n`),
        bytes,
        Buffer.from('\r\n0\r\n\r\n'),
      ])
    } else {
      lines.push(`Content-Length: ${bytes.length}`)
      payload = bytes
    }
  }
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload])
}

/**
 * Send `runs` generated requests (seeded) through `send`, which returns the status it saw or throws
 * when the answer is wrong: the statuses seen and how long it took. A failure is rethrown short
 * (fast-check's report would print the whole request, bodies of 100 KB included) with the seed and
 * path that replay it.
 */
export async function runFuzz(
  send: (request: HostileRequest) => Promise<number | null>,
  opts: { runs: number; seed: number },
): Promise<{ statuses: Record<number, number>; seconds: number }> {
  const started = Date.now()
  const statuses: Record<number, number> = {}
  const details = await fc.check(
    fc.asyncProperty(hostileRequest, async (request) => {
      const status = await send(request)
      if (status !== null) statuses[status] = (statuses[status] ?? 0) + 1
    }),
    { numRuns: opts.runs, seed: opts.seed, endOnFailure: true },
  )
  if (details.failed) {
    const error = details.errorInstance
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(
      `fuzz case failed (seed ${details.seed}, path "${details.counterexamplePath}"): ${reason.slice(0, 1_500)}`,
    )
  }
  return { statuses, seconds: (Date.now() - started) / 1000 }
}
