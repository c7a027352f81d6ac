/**
 * `pnpm soak`: the distributed demo under a bounded, loopback-only load with failures injected
 * (issue #12). Not a CI test: run it by hand before a release, and read the figures.
 *
 * - A throwaway Redis and PostgreSQL (scripts/test-services.ts), two BFF processes (`apps/bff/src/
 *   server.ts`, configured by environment only) on them, `scripts/lb.mjs` in front, the WeChat
 *   simulator (in this process) behind them with random latency and injected faults.
 * - SOAK_USERS virtual users (default 40), each a browser with its own cookies, several behind one
 *   address (127.0.0.10–17, like users behind a NAT), log in (silent or with consent, now and then
 *   with WeChat's duplicate callback), call the API (me, the activity, join), upgrade their scope,
 *   log in again, for SOAK_SECONDS (default 60).
 * - A third of the way in, Redis is restarted (persistence on: sessions must survive); two thirds
 *   in, one BFF instance gets SIGTERM and is started again.
 *
 * It prints: logins attempted/succeeded, 5xx not caused by an injected fault (goal 0), codes
 * exchanged more than once (goal 0), sessions lost (goal 0), p50/p99 login latency, and the memory
 * growth of each instance; it exits 1 when a goal is missed.
 */
import { readFileSync } from 'node:fs'
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildMockWechat, DEFAULT_APP } from '../packages/mock-wechat/src/index.js'
import { parseAuthParams } from '../packages/shared/src/index.js'
import { runLogged, type LoggedProcess } from './child-process.js'
import {
  availableServices,
  freePort,
  startPostgres,
  startRedis,
  type RunningService,
} from './test-services.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SERVER = join(ROOT, 'apps/bff/src/server.ts')
const LB = join(ROOT, 'scripts/lb.mjs')
const TSX = pathToFileURL(createRequire(join(ROOT, 'apps/bff/package.json')).resolve('tsx')).href

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60)
const USERS = Number(process.env.SOAK_USERS ?? 40)
const SEED = Number(process.env.SOAK_SEED ?? 12)
const COOKIE_SECRET = 'soak-cookie-secret-0123456789-abcdefghijklmnopqrstuvwxyz'
/** The personas logins rotate through (never the snapshot visitor: joins would be refused). */
const PERSONAS = ['alice', 'emoji', 'noavatar', 'nounion', 'follower']
/** Longer than the BFF's WeChat timeout (5 s): a held answer is one the BFF gave up on. */
const TIMEOUT_HOLD_MS = 6_000

/** mulberry32: the same seed, the same schedule of faults and choices. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
const random = prng(SEED)
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
/** Reset once the stack is up: the schedule and the windows count from the start of the load. */
let started = Date.now()
const elapsed = () => (Date.now() - started) / 1000

function log(message: string): void {
  process.stdout.write(`[soak ${elapsed().toFixed(1).padStart(5)}s] ${message}\n`)
}

// ---------------------------------------------------------------------------------------------
// Processes

type Proc = LoggedProcess

/** Only the tail of an instance's output is kept: it logs every request. */
const run = (cmd: string, args: string[], env: Record<string, string>): Proc =>
  runLogged(cmd, args, env, { keepChars: 200_000 })

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

/** Resident memory of a process, MB (Linux /proc). */
function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) / 1024 : Number.NaN
  } catch {
    return Number.NaN
  }
}

// ---------------------------------------------------------------------------------------------
// A virtual user's HTTP: its own cookies, its own source address, keep-alive.

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
  ms: number
  /** The contract error code, when the body is one. */
  code?: string
}

class Browser {
  readonly cookies = new Map<string, string>()
  readonly agent: Agent

  constructor(readonly address: string) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 4 })
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  keep(headers: IncomingHttpHeaders): void {
    for (const line of headers['set-cookie'] ?? []) {
      const pair = line.split(';', 1)[0]!
      const name = pair.slice(0, pair.indexOf('='))
      const value = pair.slice(pair.indexOf('=') + 1)
      if (value === '' || /Max-Age=0/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  /** A request; `withCookies: false` for WeChat's pages (another site). */
  request(
    method: string,
    url: string,
    opts: { headers?: Record<string, string>; body?: string; withCookies?: boolean } = {},
  ): Promise<Answer> {
    const began = performance.now()
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.withCookies !== false && this.cookies.size > 0) headers.cookie = this.cookieHeader()
    if (opts.body !== undefined) headers['content-type'] = 'application/json'
    return new Promise((resolve) => {
      const req = httpRequest(
        url,
        { method, headers, agent: this.agent, localAddress: this.address, timeout: 20_000 },
        (res) => {
          let body = ''
          res.setEncoding('utf8')
          res.on('data', (d) => (body += d))
          res.on('end', () => {
            if (opts.withCookies !== false) this.keep(res.headers)
            let code: string | undefined
            try {
              code = (JSON.parse(body) as { code?: string }).code
            } catch {
              code = undefined
            }
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body,
              ms: performance.now() - began,
              code,
            })
          })
        },
      )
      req.on('timeout', () => req.destroy(new Error('client timeout')))
      req.on('error', (error: NodeJS.ErrnoException) =>
        resolve({
          status: 0,
          headers: {},
          body: error.code ?? error.message,
          ms: performance.now() - began,
        }),
      )
      req.end(opts.body)
    })
  }
}

// ---------------------------------------------------------------------------------------------
// What the run counts

const stats = {
  loginsAttempted: 0,
  loginsSucceeded: 0,
  loginMs: [] as number[],
  duplicateCallbacks: 0,
  requests: 0,
  statuses: new Map<number, number>(),
  /** 5xx answers and socket errors, with when and what. */
  failures: [] as Array<{ t: number; status: number; code?: string; path: string; body: string }>,
  sessionsLost: [] as Array<{ t: number; path: string }>,
  /** 429 answers by path (an eager virtual user meets the per-browser limits now and then). */
  rateLimited: new Map<string, number>(),
  wechatFaults: 0,
}

/** When Redis was down (stop requested → answering again), seconds since the start. */
const redisWindows: Array<[number, number]> = []
/** When an instance was restarting. */
const restartWindows: Array<[number, number]> = []

function count(answer: Answer, path: string): void {
  stats.requests++
  stats.statuses.set(answer.status, (stats.statuses.get(answer.status) ?? 0) + 1)
  if (answer.status === 429) stats.rateLimited.set(path, (stats.rateLimited.get(path) ?? 0) + 1)
  if (answer.status >= 500 || answer.status === 0) {
    stats.failures.push({
      t: elapsed(),
      status: answer.status,
      code: answer.code,
      path,
      body: answer.body.slice(0, 160),
    })
  }
}

/** Was this failure an injected one: WeChat faulted, or Redis was down (plus recovery)? */
function injected(failure: (typeof stats.failures)[number]): boolean {
  if (failure.status === 503 && failure.code === 'WECHAT_UNAVAILABLE') return true
  if (failure.status === 503 && failure.code === 'SERVICE_UNAVAILABLE') {
    return redisWindows.some(([from, to]) => failure.t >= from && failure.t <= to + 3)
  }
  return false
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const have = availableServices()
  if (!have.redis || !have.postgres) {
    console.error("soak: install Debian's redis-server and postgresql to run it")
    process.exit(1)
  }
  log(`${USERS} users for ${SECONDS} s, seed ${SEED}`)
  const services: RunningService[] = []
  const procs: Proc[] = []
  const [redis, postgres] = await Promise.all([startRedis(), startPostgres()])
  services.push(redis, postgres)
  const [lbPort, portA, portB] = await Promise.all([freePort(), freePort(), freePort()])
  const lbUrl = `http://127.0.0.1:${lbPort}`

  // The simulator, with every access_token call and its answer recorded per code.
  const mock = buildMockWechat({
    apps: [{ ...DEFAULT_APP, domains: [`127.0.0.1:${lbPort}`] }],
    authorizeRateLimitPerMinute: 1_000_000,
    timeoutHoldMs: TIMEOUT_HOLD_MS,
  })
  const exchanges = new Map<string, Array<'pending' | 'tokens' | 'error' | 'fault'>>()
  const exchangeTimes = new Map<string, number[]>()
  const codeOf = (url: string) => new URL(url, 'http://x').searchParams.get('code') ?? ''
  mock.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/sns/oauth2/access_token')) return
    const code = codeOf(request.url)
    exchanges.set(code, [...(exchanges.get(code) ?? []), 'pending'])
    exchangeTimes.set(code, [...(exchangeTimes.get(code) ?? []), elapsed()])
  })
  mock.addHook('onSend', async (request, _reply, payload) => {
    if (!request.url.startsWith('/sns/oauth2/access_token')) return payload
    const calls = exchanges.get(codeOf(request.url))
    const text = Buffer.isBuffer(payload) ? payload.toString() : String(payload)
    const i = calls?.lastIndexOf('pending') ?? -1
    if (calls && i >= 0) {
      calls[i] = text.includes('"access_token"')
        ? 'tokens'
        : /"errcode":(40029|40163|42003|41008)/.test(text)
          ? 'error'
          : 'fault'
    }
    return payload
  })
  await mock.listen({ port: 0, host: '127.0.0.1' })
  const mockUrl = `http://127.0.0.1:${(mock.server.address() as { port: number }).port}`
  const control = (path: string, body: unknown) =>
    mock.inject({ method: 'POST', url: `/__mock/${path}`, payload: body as object })
  await control('consent', { action: 'allow', persona: 'alice' })

  const env = {
    NODE_ENV: 'production',
    WECHAT_APPID: DEFAULT_APP.appid,
    WECHAT_SECRET: DEFAULT_APP.secret,
    WECHAT_API_BASE: mockUrl,
    WECHAT_OPEN_BASE: mockUrl,
    PUBLIC_URL: lbUrl,
    COOKIE_SECRET,
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    STATIC_DIR: join(ROOT, 'no-spa-here'),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // Behind scripts/lb.mjs: the limits count the users' addresses, not the balancer's.
    TRUST_PROXY: '1',
  }
  const startInstance = async (port: number): Promise<Proc> => {
    const proc = run(process.execPath, ['--conditions=source', '--import', TSX, SERVER], {
      ...env,
      PORT: String(port),
    })
    procs.push(proc)
    // LOG_LEVEL=warn: "Server listening" is not logged; ready is when /healthz answers.
    for (let i = 0; i < 300; i++) {
      if (proc.child.exitCode !== null) break
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
      if (ok) return proc
      await sleep(100)
    }
    throw new Error(`the instance on ${port} did not start:\n${proc.output()}`)
  }
  // One at a time: the first migrates, the second finds the schema in place.
  let instanceA = await startInstance(portA)
  const instanceB = await startInstance(portB)
  const lb = run(
    process.execPath,
    [LB, '--port', String(lbPort), `http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`],
    {
      LB_CHECK_MS: '200',
    },
  )
  procs.push(lb)
  await until(() => /lb listening on/.test(lb.output()), 'the balancer')
  log(`stack up: lb ${lbUrl} → :${portA}, :${portB}; simulator ${mockUrl}; load starts`)
  started = Date.now()

  const end = Date.now() + SECONDS * 1000
  const memory: Record<string, { first?: number; last?: number; pid?: number }> = {
    'instance A': {},
    'instance A (restarted)': {},
    'instance B': {},
  }
  const sampleMemory = () => {
    const sample = (name: string, pid: number | undefined) => {
      const m = memory[name]!
      const mb = rssMb(pid)
      if (Number.isNaN(mb)) return
      if (m.pid !== pid) Object.assign(m, { pid, first: mb })
      m.last = mb
    }
    sample(restarted ? 'instance A (restarted)' : 'instance A', instanceA.child.pid)
    sample('instance B', instanceB.child.pid)
  }
  let restarted = false
  const restartResults: Array<{ code: number | null; seconds: number }> = []

  // Chaos: latency and WeChat faults on a schedule, Redis and an instance restarted once each.
  const chaos = (async () => {
    let nextFault = 1
    let nextLatency = 0
    let nextPersona = 0
    let redisDone = false
    let instanceDone = false
    // Memory: first sample after a warm-up.
    let nextMemory = 5
    while (Date.now() < end) {
      const t = elapsed()
      if (t >= nextMemory) {
        sampleMemory()
        nextMemory = t + 2
      }
      if (t >= nextLatency) {
        await control('latency', { ms: Math.floor(random() * 120) })
        nextLatency = t + 2
      }
      if (t >= nextPersona) {
        await control('consent', { action: 'allow', persona: pick(PERSONAS) })
        nextPersona = t + 0.7
      }
      if (t >= nextFault) {
        const endpoint = pick(['sns/oauth2/access_token', 'sns/userinfo'])
        const mode = pick(['errcode', 'timeout', 'garbage', 'http500'] as const)
        await control('fail', {
          endpoint,
          mode,
          ...(mode === 'errcode' ? { errcode: pick([-1, 45011]) } : {}),
        })
        stats.wechatFaults++
        nextFault = t + 1.5
      }
      if (!redisDone && t >= SECONDS / 3) {
        redisDone = true
        const from = elapsed()
        log('restarting Redis')
        await redis.stop()
        await sleep(1_500)
        await redis.restart()
        redisWindows.push([from, elapsed()])
        log(`Redis back after ${(elapsed() - from).toFixed(1)} s`)
      }
      if (!instanceDone && t >= (2 * SECONDS) / 3) {
        instanceDone = true
        const from = elapsed()
        log('SIGTERM to instance A')
        sampleMemory()
        instanceA.child.kill('SIGTERM')
        const code = await instanceA.exited
        log(`instance A exited ${code} after ${(elapsed() - from).toFixed(1)} s; starting it again`)
        restartResults.push({ code, seconds: elapsed() - from })
        restarted = true
        instanceA = await startInstance(portA)
        restartWindows.push([from, elapsed()])
        log(`instance A back after ${(elapsed() - from).toFixed(1)} s`)
      }
      await sleep(100)
    }
    sampleMemory()
  })()
  // The users.
  const users = Array.from({ length: USERS }, (_, i) =>
    virtualUser(new Browser(`127.0.0.${10 + (i % 8)}`), lbUrl, end),
  )
  await Promise.all([chaos, ...users])

  // Tear down: every process must stop cleanly.
  log('stopping')
  const exits: Record<string, number | null> = {}
  for (const [name, proc] of [
    ['instance A', instanceA],
    ['instance B', instanceB],
    ['lb', lb],
  ] as const) {
    proc.child.kill('SIGTERM')
    exits[name] = await proc.exited
  }
  await mock.close()
  await Promise.allSettled(services.map((s) => s.remove()))

  // ---- report
  const twice = [...exchanges.entries()].filter(([, calls]) => {
    // A call made after WeChat had already answered the code for good (tokens or a definitive
    // error): the once-only exchange failed. Calls after a fault (the answer lost) are retries.
    const settled = calls.findIndex((c) => c === 'tokens' || c === 'error')
    return settled !== -1 && settled < calls.length - 1
  })
  const codesTwice = twice.length
  const notInjected = stats.failures.filter((f) => !injected(f))
  const sorted = [...stats.loginMs].sort((a, b) => a - b)
  const pct = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
  const line = (label: string, value: string) => console.log(`  ${label.padEnd(58)} ${value}`)

  console.log(
    `\nSoak: ${USERS} users, ${SECONDS} s, 2 instances on Redis + PostgreSQL behind lb.mjs (seed ${SEED})`,
  )
  line('logins attempted / succeeded', `${stats.loginsAttempted} / ${stats.loginsSucceeded}`)
  line('  of which with a duplicate callback (same code twice)', String(stats.duplicateCallbacks))
  line('requests (through the balancer)', String(stats.requests))
  line('answers by status', JSON.stringify(Object.fromEntries([...stats.statuses].sort())))
  line('WeChat faults injected', String(stats.wechatFaults))
  const wechatCaused = stats.failures.filter((f) => f.code === 'WECHAT_UNAVAILABLE').length
  line(
    '5xx caused by an injected fault: WeChat / Redis down',
    `${wechatCaused} / ${stats.failures.length - notInjected.length - wechatCaused}`,
  )
  line('5xx not caused by an injected fault (goal 0)', String(notInjected.length))
  line('429 RATE_LIMITED by path', JSON.stringify(Object.fromEntries(stats.rateLimited)))
  line('codes exchanged more than once (goal 0)', String(codesTwice))
  line('sessions lost (goal 0)', String(stats.sessionsLost.length))
  line(
    'login latency p50 / p99 (GET /api/me with the code), ms',
    `${pct(50).toFixed(0)} / ${pct(99).toFixed(0)}`,
  )
  for (const [name, m] of Object.entries(memory)) {
    if (m.first === undefined || m.last === undefined) continue
    line(
      `memory ${name}, RSS MB first → last (growth)`,
      `${m.first.toFixed(0)} → ${m.last.toFixed(0)} (${m.last - m.first >= 0 ? '+' : ''}${(m.last - m.first).toFixed(0)})`,
    )
  }
  line(
    'Redis restart: down → answering again, s',
    redisWindows.map(([a, b]) => (b - a).toFixed(1)).join(', '),
  )
  line(
    'instance restart: exit code, seconds to exit',
    restartResults.map((r) => `${r.code}, ${r.seconds.toFixed(1)}`).join('; '),
  )
  line(
    'exit codes at the end (A, B, lb)',
    `${exits['instance A']}, ${exits['instance B']}, ${exits.lb}`,
  )
  if (notInjected.length > 0) {
    console.log('  5xx not caused by an injected fault:')
    for (const f of notInjected.slice(0, 20))
      console.log(`    ${f.t.toFixed(1)}s ${f.status} ${f.code ?? ''} ${f.path} ${f.body}`)
  }
  for (const [code, calls] of twice.slice(0, 10)) {
    const times = (exchangeTimes.get(code) ?? []).map((t) => t.toFixed(1))
    console.log(`  code exchanged again: ${calls.join(' → ')} at ${times.join(', ')} s`)
  }
  if (stats.sessionsLost.length > 0) {
    console.log(
      `  sessions lost: ${stats.sessionsLost.map((s) => `${s.t.toFixed(1)}s ${s.path}`).join(', ')}`,
    )
  }
  const missed =
    notInjected.length > 0 ||
    codesTwice > 0 ||
    stats.sessionsLost.length > 0 ||
    restartResults.some((r) => r.code !== 0) ||
    Object.values(exits).some((c) => c !== 0)
  console.log(missed ? '  ✗ a goal was missed' : '  ✓ every goal met')
  process.exitCode = missed ? 1 : 0
}

/** One user, until `end`: log in, use the API, sometimes upgrade or log in again. */
async function virtualUser(browser: Browser, lb: string, end: number): Promise<void> {
  let session = false
  let scope: 'snsapi_base' | 'snsapi_userinfo' = 'snsapi_base'
  // Spread the first logins over the first seconds.
  await sleep(random() * 3_000)

  async function login(wanted: 'snsapi_base' | 'snsapi_userinfo'): Promise<void> {
    stats.loginsAttempted++
    const start = await browser.request(
      'GET',
      `${lb}/api/auth/authorize-url?returnTo=%2F&scope=${wanted}`,
    )
    count(start, '/api/auth/authorize-url')
    if (start.status !== 200) return
    const { url } = JSON.parse(start.body) as { url: string }
    // WeChat's page is another site: no cookies of ours, and not through the balancer.
    const redirect = await browser.request('GET', url, { withCookies: false })
    const { code, state } = parseAuthParams(String(redirect.headers.location ?? ''))
    if (!code || !state) return
    const headers = { 'x-wechat-code': code, 'x-wechat-state': state }
    const duplicate = random() < 0.1
    let me: Answer
    if (duplicate) {
      // WeChat's duplicate callback: the same code twice at once.
      stats.duplicateCallbacks++
      const [a, b] = await Promise.all([
        browser.request('GET', `${lb}/api/me`, { headers }),
        browser.request('GET', `${lb}/api/activity`, { headers }),
      ])
      count(b, '/api/activity (duplicate callback)')
      me = a
    } else {
      me = await browser.request('GET', `${lb}/api/me`, { headers })
    }
    count(me, '/api/me (login)')
    if (me.status === 503 && me.code === 'WECHAT_UNAVAILABLE') {
      // What the SPA does on "WeChat is slow": try again, same code.
      await sleep(300)
      me = await browser.request('GET', `${lb}/api/me`, { headers })
      count(me, '/api/me (login retry)')
    }
    if (me.status === 200) {
      stats.loginsSucceeded++
      stats.loginMs.push(me.ms)
      session = true
      scope = (JSON.parse(me.body) as { session: { scope: typeof scope } }).session.scope
    }
  }

  /** A business call with the session; a 401 AUTH_REQUIRED means the session was lost. */
  async function call(method: string, path: string): Promise<Answer> {
    const answer = await browser.request(
      method,
      `${lb}${path}`,
      method === 'POST' ? { body: '{}' } : {},
    )
    count(answer, path)
    if (answer.status === 401 && answer.code === 'AUTH_REQUIRED') {
      stats.sessionsLost.push({ t: elapsed(), path })
      session = false
    }
    return answer
  }

  while (Date.now() < end) {
    if (!session) {
      await login(random() < 0.5 ? 'snsapi_base' : 'snsapi_userinfo')
      if (!session) await sleep(500 + random() * 500)
      continue
    }
    const roll = random()
    if (roll < 0.5) await call('GET', '/api/me')
    else if (roll < 0.82) await call('GET', '/api/activity')
    else if (roll < 0.98) {
      const joined = await call('POST', '/api/activity/join')
      // A base session must upgrade first (consent), as the SPA does on SCOPE_UPGRADE_REQUIRED.
      if (joined.code === 'SCOPE_UPGRADE_REQUIRED' && scope === 'snsapi_base')
        await login('snsapi_userinfo')
    } else {
      // A fresh login on top of the session (another tab, another day).
      await login(scope)
    }
    await sleep(150 + random() * 350)
  }
  browser.agent.destroy()
}

await main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
