/**
 * A tiny scripted stand-in for api.weixin.qq.com on a real HTTP port (0 = any free one): each test
 * says what a path answers and counts the calls. Not the simulator: it knows nothing about WeChat.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeCall {
  method: string
  /** Path without the leading slash, e.g. 'sns/userinfo'. */
  path: string
  query: URLSearchParams
  /** The raw query string (to check parameter order). */
  search: string
  headers: IncomingHttpHeaders
  body: string
}

export interface FakeReplySpec {
  status?: number
  headers?: Record<string, string>
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown
}
/**
 * 'hang' never answers; 'stall-body' sends 200 headers and half a body, then nothing. Either way the
 * socket stays open until the client gives up or the test closes the server.
 */
export type FakeReply = FakeReplySpec | 'hang' | 'stall-body'
export type FakeHandler = (call: FakeCall) => FakeReply | Promise<FakeReply>

export interface FakeWechat {
  url: string
  calls: FakeCall[]
  /** Answer `path` with `reply` (a handler, or one fixed reply for every call). */
  on(path: string, reply: FakeHandler | FakeReply): void
  /** How many requests reached `path`. */
  hits(path: string): number
  close(): Promise<void>
}

/** Reply with each element in turn; the last one repeats. */
export function sequence(...replies: FakeReply[]): FakeHandler {
  let index = 0
  return () => {
    const reply = replies[Math.min(index, replies.length - 1)]
    index++
    if (reply === undefined) throw new Error('sequence() needs at least one reply')
    return reply
  }
}

/** WeChat's own habit: text/plain on sns/*, `application/json; encoding=utf-8` on cgi-bin/*. */
function defaultContentType(path: string): string {
  return path.startsWith('sns/') ? 'text/plain' : 'application/json; encoding=utf-8'
}

/** Start the fake on 127.0.0.1, port 0. */
export async function startFakeWechat(): Promise<FakeWechat> {
  const handlers = new Map<string, FakeHandler>()
  const calls: FakeCall[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const call: FakeCall = {
        method: req.method ?? 'GET',
        path: url.pathname.replace(/^\//, ''),
        query: url.searchParams,
        search: url.search,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      calls.push(call)
      const handler = handlers.get(call.path)
      Promise.resolve(handler ? handler(call) : { status: 404, body: 'no handler' })
        .then((reply) => {
          if (reply === 'hang') return
          if (reply === 'stall-body') {
            res.writeHead(200, { 'content-type': defaultContentType(call.path) })
            res.write('{"openid":')
            return
          }
          const body =
            typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {})
          const headers = { 'content-type': defaultContentType(call.path), ...reply.headers }
          // An empty string means "send no such header at all".
          for (const [name, value] of Object.entries(headers)) {
            if (value === '') res.removeHeader(name)
            else res.setHeader(name, value)
          }
          res.writeHead(reply.status ?? 200)
          res.end(body)
        })
        .catch((error: unknown) => {
          res.writeHead(599, { 'content-type': 'text/plain' })
          res.end(`fake handler threw: ${String(error)}`)
        })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    on(path, reply) {
      handlers.set(path, typeof reply === 'function' ? reply : () => reply)
    },
    hits(path) {
      return calls.filter((call) => call.path === path).length
    },
    close() {
      server.closeAllConnections()
      return new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      )
    },
  }
}

/** A controllable clock for `now`. */
export function manualClock(start = Date.UTC(2025, 0, 1)): { now: () => number; t: number } {
  const clock = {
    t: start,
    now: () => clock.t,
  }
  return clock
}
