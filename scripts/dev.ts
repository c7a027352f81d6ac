#!/usr/bin/env -S tsx --conditions=source
/**
 * `pnpm dev`: the WeChat simulator, the demo BFF and the Vite dev server in one command, on
 * loopback, with no configuration. One variable moves each server, and everything that points at
 * it follows:
 * - `WEB_PORT` (5173): Vite; the BFF's `PUBLIC_URL` and the simulator's authorised domains follow;
 * - `PORT` (3000): the BFF; Vite's `/api` proxy follows;
 * - `MOCK_WECHAT_PORT` (3100): the simulator; the BFF's `WECHAT_API_BASE`/`WECHAT_OPEN_BASE` follow;
 * - `METRICS_PORT` (9464): the BFF's Prometheus listener.
 * A busy port stops it before anything starts, naming the variable to change. The servers are run
 * directly (not through pnpm), so Ctrl+C stops them quietly.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_APP } from '@wxauth/mock-wechat'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const HOST = '127.0.0.1'

/** The port of each server: its variable, its default. */
const PORTS = {
  WEB_PORT: 5173,
  PORT: 3000,
  MOCK_WECHAT_PORT: 3100,
  METRICS_PORT: 9464,
} as const
type PortVariable = keyof typeof PORTS

function portOf(variable: PortVariable): number {
  const raw = process.env[variable]
  if (raw === undefined || raw === '') return PORTS[variable]
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    fail(`${variable}=${raw} is not a TCP port (1 to 65535)`)
  }
  return port
}

function fail(message: string): never {
  process.stderr.write(`pnpm dev: ${message}\n`)
  process.exit(1)
}

/** Is `port` free on the loopback address? */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, HOST, () => probe.close(() => resolve(true)))
  })
}

const ports = Object.fromEntries(
  (Object.keys(PORTS) as PortVariable[]).map((v) => [v, portOf(v)]),
) as Record<PortVariable, number>
const taken = new Map<number, PortVariable>()
for (const [variable, port] of Object.entries(ports) as Array<[PortVariable, number]>) {
  const other = taken.get(port)
  if (other) fail(`${variable} and ${other} are both ${port}; give them different ports`)
  taken.set(port, variable)
  if (!(await isFree(port))) {
    fail(
      `port ${port} is in use; set ${variable} to a free port (e.g. ${variable}=${port + 1} pnpm dev)`,
    )
  }
}

const web = `http://${HOST}:${ports.WEB_PORT}`
const bff = `http://${HOST}:${ports.PORT}`
const wechat = `http://${HOST}:${ports.MOCK_WECHAT_PORT}`
const metrics = `http://${HOST}:${ports.METRICS_PORT}/metrics`

const requireFrom = (dir: string) => createRequire(join(ROOT, dir, 'package.json'))
const tsx = requireFrom('.').resolve('tsx/cli')
const vite = join(dirname(requireFrom('apps/web').resolve('vite/package.json')), 'bin', 'vite.js')

interface Service {
  name: string
  color: number
  cwd: string
  args: string[]
  env: Record<string, string>
  ready: string
}

const services: Service[] = [
  {
    name: 'wechat',
    color: 32,
    cwd: 'packages/mock-wechat',
    args: [tsx, '--conditions=source', 'src/cli.ts'],
    env: {
      MOCK_WECHAT_PORT: String(ports.MOCK_WECHAT_PORT),
      // The development app, authorised for the page's origin wherever it runs.
      MOCK_WECHAT_APPS: JSON.stringify([
        { ...DEFAULT_APP, domains: [`127.0.0.1:${ports.WEB_PORT}`, `localhost:${ports.WEB_PORT}`] },
      ]),
    },
    ready: `${wechat}/__mock/apps`,
  },
  {
    name: 'bff',
    color: 36,
    cwd: 'apps/bff',
    args: [tsx, 'watch', '--conditions=source', 'src/server.ts'],
    env: {
      PORT: String(ports.PORT),
      PUBLIC_URL: web,
      WECHAT_API_BASE: wechat,
      WECHAT_OPEN_BASE: wechat,
      METRICS_PORT: String(ports.METRICS_PORT),
      LOG_FORMAT: 'pretty',
    },
    ready: `${bff}/healthz`,
  },
  {
    name: 'web',
    color: 35,
    cwd: 'apps/web',
    args: [vite],
    env: { WEB_PORT: String(ports.WEB_PORT), PORT: String(ports.PORT) },
    ready: `${web}/`,
  },
]

const children: ChildProcess[] = []
let stopping = false

function prefix(
  name: string,
  color: number,
  stream: NodeJS.ReadableStream,
  out: NodeJS.WriteStream,
) {
  let buffered = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    buffered += chunk
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    // Once stopping, the servers' goodbyes are noise.
    if (stopping) return
    for (const line of lines) out.write(`\x1b[${color}m${name.padEnd(6)}\x1b[0m ${line}\n`)
  })
}

function stop(code = 0): void {
  if (stopping) return
  stopping = true
  for (const child of children) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM') // the whole group: tsx/vite and their children
    } catch {
      /* already gone */
    }
  }
  const exits = children.map((c) =>
    c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r)),
  )
  void Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 3000))]).then(() => {
    if (code === 0) process.stdout.write('\nwxauth stopped.\n')
    process.exit(code)
  })
}

for (const svc of services) {
  const child = spawn(process.execPath, svc.args, {
    cwd: join(ROOT, svc.cwd),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, FORCE_COLOR: '1', ...svc.env },
  })
  children.push(child)
  prefix(svc.name, svc.color, child.stdout!, process.stdout)
  prefix(svc.name, svc.color, child.stderr!, process.stderr)
  child.on('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`\n${svc.name} exited with code ${code}; stopping the others.\n`)
      stop(code ?? 1)
    }
  })
}

process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))
// pnpm does not forward SIGTERM to its script: when it dies we are re-parented, so stop then too
// rather than leave the three servers running with nobody to stop them.
const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) stop(0)
}, 1000).unref()

async function waitFor(url: string, timeoutMs = 120_000): Promise<boolean> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until && !stopping) {
    try {
      const res = await fetch(url)
      if (res.status < 500) return true
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300))
  }
  return false
}

const ok = await Promise.all(services.map((s) => waitFor(s.ready)))
if (ok.every(Boolean)) {
  process.stdout.write(
    [
      '',
      '  wxauth is running:',
      `    Open the H5 page:    ${web}/   (any desktop browser; the simulator plays WeChat)`,
      `    BFF API docs:        ${bff}/docs`,
      `    WeChat simulator:    ${wechat}/__mock   (personas, call log, failure switches)`,
      `    Metrics:             ${metrics}`,
      '  Press Ctrl+C to stop.',
      '',
    ].join('\n') + '\n',
  )
} else if (!stopping) {
  process.stderr.write('\nSome services did not become ready; see the log above.\n')
}
