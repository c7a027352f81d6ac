#!/usr/bin/env node
// `pnpm dev`: the WeChat simulator, the BFF and the Vite dev server in one command, on loopback.
// Needs no configuration: the BFF's development defaults point at the simulator's default app.
import { spawn } from 'node:child_process'

const MOCK_PORT = process.env.MOCK_WECHAT_PORT ?? '3100'
const BFF_PORT = process.env.PORT ?? '3000'
const WEB_PORT = '5173'
// The BFF's Prometheus metrics, on a port of their own (9464 is Prometheus' customary exporter
// port). METRICS_PORT= (empty) turns them off.
const METRICS_PORT = process.env.METRICS_PORT ?? '9464'
const METRICS_HOST = process.env.METRICS_HOST || '127.0.0.1'

const services = [
  {
    name: 'wechat',
    color: 32,
    args: ['--filter', '@wxauth/mock-wechat', 'start'],
    ready: `http://127.0.0.1:${MOCK_PORT}/__mock/apps`,
  },
  {
    name: 'bff',
    color: 36,
    args: ['--filter', '@wxauth/bff', 'dev'],
    ready: `http://127.0.0.1:${BFF_PORT}/healthz`,
    env: { METRICS_PORT },
  },
  {
    name: 'web',
    color: 35,
    args: ['--filter', '@wxauth/web', 'dev'],
    ready: `http://127.0.0.1:${WEB_PORT}/`,
  },
]

const children = []
let stopping = false

function prefix(name, color, stream, out) {
  let buffered = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk) => {
    buffered += chunk
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) out.write(`\x1b[${color}m${name.padEnd(6)}\x1b[0m ${line}\n`)
  })
}

function stop(code = 0) {
  if (stopping) return
  stopping = true
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM') // the whole group: pnpm, tsx/vite and their children
    } catch {
      /* already gone */
    }
  }
  setTimeout(() => process.exit(code), 1500).unref()
}

for (const svc of services) {
  const child = spawn('pnpm', svc.args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, FORCE_COLOR: '1', ...svc.env },
  })
  children.push(child)
  prefix(svc.name, svc.color, child.stdout, process.stdout)
  prefix(svc.name, svc.color, child.stderr, process.stderr)
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

async function waitFor(url, timeoutMs = 120_000) {
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
      `    Open the H5 page:    http://127.0.0.1:${WEB_PORT}/   (any desktop browser; the simulator plays WeChat)`,
      `    BFF API docs:        http://127.0.0.1:${BFF_PORT}/docs`,
      `    WeChat simulator:    http://127.0.0.1:${MOCK_PORT}/__mock   (personas, call log, failure switches)`,
      ...(METRICS_PORT
        ? [
            `    Metrics:             http://${METRICS_HOST}:${METRICS_PORT}/metrics   (Prometheus text format)`,
          ]
        : []),
      '  Press Ctrl+C to stop.',
      '',
    ].join('\n') + '\n',
  )
} else if (!stopping) {
  process.stderr.write('\nSome services did not become ready; see the log above.\n')
}
