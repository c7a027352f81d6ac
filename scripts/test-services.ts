/**
 * Throwaway Redis and PostgreSQL servers for the distributed-mode tests and benchmarks: each call starts a
 * fresh server on a free loopback port in a temp directory and returns its URL and a stop() function.
 * Uses Debian's binaries (`redis-server`, `/usr/lib/postgresql/<v>/bin/*`); under CI=true a missing
 * binary is an error, never a skip (see `requireServices`).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface RunningService {
  url: string
  port: number
  /** Stop the server (SIGKILL for Redis when `crash` is set: a crash, not a shutdown). */
  stop(opts?: { crash?: boolean }): Promise<void>
  /** Start it again on the same port and data directory (for restart tests). */
  restart(): Promise<void>
  /** Stop it if it runs and delete its data directory (PostgreSQL's is ~40 MB). */
  remove(): Promise<void>
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

function which(cmd: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || null
  } catch {
    return null
  }
}

function postgresBin(): string | null {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a))
  for (const v of versions) {
    const bin = join(root, v, 'bin')
    if (existsSync(join(bin, 'postgres'))) return bin
  }
  return null
}

/** Which of the services are installed. */
export function availableServices(): { redis: boolean; postgres: boolean } {
  return { redis: which('redis-server') !== null, postgres: postgresBin() !== null }
}

/**
 * Throws (under CI) or returns false (elsewhere, after a loud warning) when a service is missing, so a
 * suite never skips silently.
 */
export function requireServices(names: Array<'redis' | 'postgres'>): boolean {
  const have = availableServices()
  const missing = names.filter((n) => !have[n])
  if (missing.length === 0) return true
  const msg = `missing ${missing.join(', ')}: install Debian's ${missing
    .map((m) => (m === 'redis' ? 'redis-server' : 'postgresql'))
    .join(' and ')} to run this suite`
  if (process.env.CI) throw new Error(`[CI] ${msg}`)
  console.warn(`\n⚠️  SKIPPING distributed-mode suite: ${msg}\n`)
  return false
}

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, ms = 20_000) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${what}`)
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })
}

/** A fresh redis-server on 127.0.0.1 with persistence to its temp dir (so a restart keeps the data). */
export async function startRedis(): Promise<RunningService> {
  const bin = which('redis-server')
  if (!bin) throw new Error('redis-server is not installed')
  const dir = mkdtempSync(join(tmpdir(), 'wxauth-redis-'))
  const port = await freePort()
  let child: ChildProcess
  const launch = async () => {
    child = spawn(
      bin,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--protected-mode',
        'no',
        '--daemonize',
        'no',
        '--logfile',
        '',
      ],
      { stdio: 'ignore' },
    )
    await waitUntil(() => {
      try {
        const out = execFileSync('redis-cli', ['-p', String(port), 'ping'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        })
        return out.trim() === 'PONG'
      } catch {
        return false
      }
    }, `redis on ${port}`)
  }
  await launch()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop(opts) {
      child.kill(opts?.crash ? 'SIGKILL' : 'SIGTERM')
      await exited(child)
    },
    async restart() {
      await launch()
    },
    async remove() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL')
        await exited(child)
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A fresh PostgreSQL cluster on 127.0.0.1 (run as the `postgres` user when we are root). */
export async function startPostgres(): Promise<RunningService> {
  const bin = postgresBin()
  if (!bin) throw new Error('postgresql is not installed')
  const dir = mkdtempSync(join(tmpdir(), 'wxauth-pg-'))
  const port = await freePort()
  const asRoot = process.getuid?.() === 0
  const run = (cmd: string, args: string[]) =>
    (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [
      string,
      string[],
    ]
  if (asRoot) {
    const pgUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const pgGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dir, pgUid, pgGid)
  }
  const data = join(dir, 'data')
  const [initCmd, initArgs] = run(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ])
  execFileSync(initCmd, initArgs, { stdio: 'ignore' })
  let child: ChildProcess
  const launch = async () => {
    const [cmd, args] = run(join(bin, 'postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'max_connections=200',
    ])
    child = spawn(cmd, args, { stdio: 'ignore' })
    await waitUntil(() => {
      try {
        execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], {
          stdio: 'ignore',
        })
        return true
      } catch {
        return false
      }
    }, `postgres on ${port}`)
  }
  // pg_ctl, not a signal to our child: under runuser the child is runuser, not postgres.
  const stop = async () => {
    const [cmd, args] = run(join(bin, 'pg_ctl'), ['-D', data, 'stop', '-m', 'fast', '-w'])
    execFileSync(cmd, args, { stdio: 'ignore' })
    await exited(child)
  }
  await launch()
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    async restart() {
      await launch()
    },
    async remove() {
      if (child.exitCode === null && child.signalCode === null) await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
