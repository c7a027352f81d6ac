/**
 * What every benchmark here shares: servers in child processes of their own (apart from this, the
 * load generator), autocannon passes that count every failed request, and a report that prints no
 * ratio and fails the run when any request failed. Ratios measured in one run, never absolute times.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { parseAuthParams } from '@wxauth/shared'

const SERVERS = fileURLToPath(new URL('./servers.ts', import.meta.url))
const children: ChildProcess[] = []

/** What a server process reports once it listens. */
export interface Listening {
  url: string
  /** A Cookie header that makes its `GET /api/me` succeed (servers with sessions). */
  cookie?: string
  /** The JSON its `GET /api/me` answers. */
  body?: string
}

/** A started server: what it reported, and the CPU time its process has used so far. */
export interface Server extends Listening {
  /** User + system CPU time of the server's process, µs (its `process.cpuUsage()`). */
  cpuMicros(): Promise<number>
}

function askCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown) => {
      if (typeof m === 'object' && m !== null && 'cpuMicros' in m) {
        child.off('message', onMessage)
        resolve((m as { cpuMicros: number }).cpuMicros)
      }
    }
    child.on('message', onMessage)
    child.send('cpu')
  })
}

/** Start `role` (bench/servers.ts) in a process of its own. */
export function startServer(role: string, env: Record<string, string> = {}): Promise<Server> {
  const child = fork(SERVERS, [role], {
    execArgv: process.execArgv,
    env: { ...process.env, ...env },
  })
  children.push(child)
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ ...(m as Listening), cpuMicros: () => askCpu(child) }))
    child.once('exit', (code) => reject(new Error(`the ${role} server exited with ${code}`)))
  })
}

/** Stop every server this run started. */
export async function stopServers(): Promise<void> {
  for (const child of children) if (child.connected) child.disconnect()
  await Promise.allSettled(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
  )
}

export interface Pass {
  /** Mean requests per second. */
  rps: number
  /** Requests answered. */
  requests: number
  /** non-2xx + errors + timeouts. */
  failures: number
}

/** One autocannon pass against `url`. */
export async function pass(
  url: string,
  opts: { seconds: number; connections: number; headers?: Record<string, string> },
): Promise<Pass> {
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.seconds,
    ...(opts.headers ? { headers: opts.headers } : {}),
  })
  return {
    rps: result.requests.average,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  }
}

/**
 * Alternating passes over `targets` after a 2 s warm-up each: the mean req/s of each, and every
 * failed request counted. For targets given their `server`, also the server's CPU time per request
 * (µs): what a request costs the server, which other load on the machine disturbs far less than
 * req/s.
 */
export async function alternate(
  targets: Record<string, { url: string; headers?: Record<string, string>; server?: Server }>,
  opts: { seconds: number; connections: number; passes: number },
): Promise<{
  rps: Record<string, number>
  cpuPerRequest: Record<string, number>
  failures: number
}> {
  const rps: Record<string, number> = {}
  const cpu: Record<string, { micros: number; requests: number }> = {}
  let failures = 0
  for (const target of Object.values(targets)) {
    failures += (await pass(target.url, { ...target, seconds: 2, connections: opts.connections }))
      .failures
  }
  for (let i = 0; i < opts.passes; i++) {
    for (const [name, target] of Object.entries(targets)) {
      const cpuBefore = await target.server?.cpuMicros()
      const result = await pass(target.url, { ...target, ...opts })
      const cpuAfter = await target.server?.cpuMicros()
      rps[name] = (rps[name] ?? 0) + result.rps / opts.passes
      failures += result.failures
      if (cpuBefore !== undefined && cpuAfter !== undefined) {
        const spent = (cpu[name] ??= { micros: 0, requests: 0 })
        spent.micros += cpuAfter - cpuBefore
        spent.requests += result.requests
      }
    }
  }
  const cpuPerRequest = Object.fromEntries(
    Object.entries(cpu).map(([name, { micros, requests }]) => [name, micros / requests]),
  )
  return { rps, cpuPerRequest, failures }
}

/** A benchmark's printed result: figures, then ratios only when nothing failed. */
export class Report {
  private readonly lines: string[] = []
  private readonly ratios: string[] = []
  private failures = 0
  private missed = 0

  constructor(private readonly title: string) {}

  figure(label: string, value: string): void {
    this.lines.push(`${label.padEnd(64)} ${value}`)
  }

  /** A ratio with its goal: `higher` (≥ goal) or `lower` (≤ goal). */
  ratio(label: string, value: number, goal: number, better: 'higher' | 'lower'): void {
    const met = better === 'higher' ? value >= goal : value <= goal
    if (!met) this.missed++
    const sign = better === 'higher' ? '≥' : '≤'
    this.ratios.push(
      `${`${label} (goal ${sign} ${goal})`.padEnd(64)} ${value.toFixed(3)} ${met ? '✓' : '✗ misses the goal'}`,
    )
  }

  failed(count: number): void {
    this.failures += count
  }

  /** Print; sets a non-zero exit code when a request failed (and then prints no ratio). */
  print(): void {
    console.log(`\n${this.title}`)
    for (const line of this.lines) console.log(`  ${line}`)
    console.log(`  ${'failed requests (non-2xx, errors, timeouts)'.padEnd(64)} ${this.failures}`)
    if (this.failures > 0) {
      console.log('  ✗ requests failed: no ratio is printed for this run')
      process.exitCode = 1
      return
    }
    for (const line of this.ratios) console.log(`  ${line}`)
    if (this.missed > 0) console.log(`  (${this.missed} goal(s) missed)`)
  }
}

/** Env number with a default. */
export function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : fallback
}

/** The cookies a response sets, as a Cookie header. */
export function cookiesOf(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
}

/**
 * One login in a fresh browser: authorize-url → the simulator's consent → `GET /api/me` with the
 * code. Resolves with that last response (and how long it took, ms).
 */
export async function login(
  bff: string,
  scope = 'snsapi_userinfo',
): Promise<Response & { loginMs?: number }> {
  const start = await fetch(`${bff}/api/auth/authorize-url?returnTo=%2F&scope=${scope}`)
  if (start.status !== 200) throw new Error(`authorize-url answered ${start.status}`)
  const { url } = (await start.json()) as { url: string }
  const redirect = await fetch(url, { redirect: 'manual' })
  const { code, state } = parseAuthParams(redirect.headers.get('location') ?? '')
  const began = performance.now()
  const me = await fetch(`${bff}/api/me`, {
    headers: {
      cookie: cookiesOf(start.headers),
      'x-wechat-code': code ?? '',
      'x-wechat-state': state ?? '',
    },
  })
  return Object.assign(me, { loginMs: performance.now() - began })
}
