/**
 * Issue #12.2, for real: `src/server.ts` as one process (node + the tsx loader, so the signals reach
 * the server itself), logins through the simulator, keep-alive traffic from a pool of sockets and
 * code exchanges in flight when SIGTERM arrives. Every request is answered (none with a 5xx), the
 * process exits 0 within 5 s with its SQLite WAL checkpointed away, and a restart on the same
 * database keeps every session. SIGHUP and SIGUSR2 do not stop it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildMockWechat, DEFAULT_APP } from '@wxauth/mock-wechat'
import { parseAuthParams } from '@wxauth/shared'
import { COOKIE_SECRET, PUBLIC_URL, build, leakLedger } from './helper.js'
import { startServerProcess, type ServerProcess } from './support/server-process.js'

let mock: FastifyInstance
let mockUrl: string
let cwd: string
const running: ServerProcess[] = []

beforeAll(async () => {
  mock = buildMockWechat({
    apps: [{ ...DEFAULT_APP, domains: ['127.0.0.1:5173'] }],
    authorizeRateLimitPerMinute: 10_000,
  })
  await mock.listen({ port: 0, host: '127.0.0.1' })
  mockUrl = `http://127.0.0.1:${(mock.server.address() as { port: number }).port}`
  cwd = mkdtempSync(join(tmpdir(), 'wxauth-shutdown-'))
})

afterAll(async () => {
  for (const server of running) {
    if (server.child.exitCode === null) server.child.kill('SIGKILL')
    for (const line of server.output().split('\n')) if (line) leakLedger().logLines.push(line)
  }
  await mock?.close()
  rmSync(cwd, { recursive: true, force: true })
})

async function startServer(): Promise<ServerProcess> {
  const server = await startServerProcess(cwd, {
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL,
    COOKIE_SECRET,
    WECHAT_API_BASE: mockUrl,
    WECHAT_OPEN_BASE: mockUrl,
    STATIC_DIR: join(cwd, 'no-spa-here'),
    LOG_LEVEL: 'info',
  })
  running.push(server)
  return server
}

/** One browser's login up to the code (authorize-url → consent): the cookie and the credentials. */
async function codeFor(bff: string, persona: string) {
  const start = await fetch(`${bff}/api/auth/authorize-url?returnTo=%2F&scope=snsapi_userinfo`)
  expect(start.status).toBe(200)
  const cookie = start.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const { url } = (await start.json()) as { url: string }
  await mock.inject({
    method: 'POST',
    url: '/__mock/consent',
    payload: { action: 'allow', persona },
  })
  const redirect = await fetch(url, { redirect: 'manual' })
  const { code, state } = parseAuthParams(redirect.headers.get('location') ?? '')
  if (!code || !state) throw new Error('no code in the callback')
  leakLedger().codes.add(code)
  return { cookie, code, state }
}

/** GET over `agent` (keep-alive): status, Connection header and body; or the socket error. */
function get(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
): Promise<
  { status: number; connection?: string; setCookie: string[]; body: string } | { error: string }
> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { agent, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (body += d))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          connection: res.headers.connection,
          setCookie: res.headers['set-cookie'] ?? [],
          body,
        }),
      )
    })
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ error: error.code ?? error.message }),
    )
    req.end()
  })
}

const sessionCookie = (setCookies: string[]) =>
  setCookies.map((c) => c.split(';')[0]).find((c) => c?.startsWith('wxauth_sid=')) ?? ''

describe('SIGTERM under keep-alive traffic', () => {
  const sessions: Array<{ cookie: string; nickname: string }> = []

  it('ignores SIGHUP and SIGUSR2; answers every request in flight, exits 0 within 5 s, WAL gone', async () => {
    const server = await startServer()
    const agent = new Agent({ keepAlive: true, maxSockets: 12 })

    // Two users logged in before the load starts.
    for (const persona of ['alice', 'bob']) {
      const { cookie, code, state } = await codeFor(server.url, persona)
      const me = await fetch(`${server.url}/api/me`, {
        headers: { cookie, 'x-wechat-code': code, 'x-wechat-state': state },
      })
      expect(me.status).toBe(200)
      const { user } = (await me.json()) as { user: { nickname: string } }
      sessions.push({ cookie: sessionCookie(me.headers.getSetCookie()), nickname: user.nickname })
    }
    expect(existsSync(join(cwd, 'data', 'wxauth.sqlite-wal'))).toBe(true)

    for (const signal of ['SIGHUP', 'SIGUSR2'] as const) server.child.kill(signal)
    await expect
      .poll(() => server.output().match(/signal ignored/g)?.length ?? 0, { timeout: 5_000 })
      .toBe(2)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)

    // Keep-alive load: 12 sockets, each sending GET /api/me back to back until the server is gone.
    const results: Array<Awaited<ReturnType<typeof get>>> = []
    let stop = false
    const loops = Array.from({ length: 12 }, async (_, i) => {
      while (!stop) {
        const result = await get(agent, `${server.url}/api/me`, {
          cookie: sessions[i % sessions.length]!.cookie,
        })
        results.push(result)
        if ('error' in result) return
      }
    })
    await new Promise((r) => setTimeout(r, 500))

    // Three logins whose code exchange WeChat answers 1.5 s late: in flight when SIGTERM arrives.
    await mock.inject({
      method: 'POST',
      url: '/__mock/latency',
      payload: { ms: 1_500, endpoint: 'sns/oauth2/access_token' },
    })
    const pending = await Promise.all(['carol', 'dave', 'erin'].map((p) => codeFor(server.url, p)))
    const inFlight = pending.map(({ cookie, code, state }) =>
      get(agent, `${server.url}/api/me`, {
        cookie,
        'x-wechat-code': code,
        'x-wechat-state': state,
      }),
    )
    await new Promise((r) => setTimeout(r, 300))

    const signalled = Date.now()
    server.child.kill('SIGTERM')
    const code = await server.exited
    const tookMs = Date.now() - signalled
    stop = true
    await Promise.all(loops)
    agent.destroy()
    await mock.inject({ method: 'DELETE', url: '/__mock/latency' })

    expect(code).toBe(0)
    expect(tookMs).toBeLessThan(5_000)
    // The logins in flight were answered in full, and told to close their connection.
    for (const result of await Promise.all(inFlight)) {
      expect(result).toMatchObject({ status: 200, connection: 'close' })
      if ('body' in result) {
        const { user } = JSON.parse(result.body) as { user: { nickname: string } }
        sessions.push({ cookie: sessionCookie(result.setCookie), nickname: user.nickname })
      }
    }
    // Every answer of the load was a 200; a request only failed once the listener was gone.
    const answered = results.filter((r) => 'status' in r)
    expect(answered.length).toBeGreaterThan(50)
    expect(answered.filter((r) => r.status !== 200)).toEqual([])
    expect(
      results.filter((r) => 'error' in r && !['ECONNREFUSED', 'ECONNRESET'].includes(r.error)),
    ).toEqual([])
    // The stores were closed: SQLite checkpointed its WAL into the file and removed it.
    expect(existsSync(join(cwd, 'data', 'wxauth.sqlite-wal'))).toBe(false)
    expect(server.output()).toContain('shut down: every connection closed, stores closed')
  }, 40_000)

  it('restarts on the same database with every session kept', async () => {
    const server = await startServer()
    expect(sessions).toHaveLength(5)
    for (const { cookie, nickname } of sessions) {
      expect(cookie).toMatch(/^wxauth_sid=/)
      const me = await fetch(`${server.url}/api/me`, { headers: { cookie } })
      expect(me.status).toBe(200)
      expect(((await me.json()) as { user: { nickname: string } }).user.nickname).toBe(nickname)
    }
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
  }, 30_000)
})

describe('draining (in process)', () => {
  it('turns /readyz to 503 (the balancer stops sending) while the rest still answers', async () => {
    const ctx = await build()
    try {
      expect((await ctx.app.inject('/readyz')).statusCode).toBe(200)
      ctx.app.shutdown.drain()
      const ready = await ctx.app.inject('/readyz')
      expect(ready.statusCode).toBe(503)
      expect(ready.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 'unavailable' })
      expect((await ctx.app.inject('/healthz')).statusCode).toBe(200)
    } finally {
      await ctx.close()
    }
  })
})
