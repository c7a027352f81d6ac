/** `src/server.ts` as a process: boots from env, finds its way from any folder, stops on SIGTERM. */
import { spawn, type ChildProcess } from 'node:child_process'
import { connect } from 'node:net'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const tsx = join(root, 'node_modules', '.bin', 'tsx')
const server = join(root, 'src', 'server.ts')
const dirs: string[] = []

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function start(env: Record<string, string>): {
  child: ChildProcess
  cwd: string
  output: () => string
  exited: Promise<number | null>
} {
  const cwd = mkdtempSync(join(tmpdir(), 'wxauth-server-'))
  dirs.push(cwd)
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) =>
        !/^(WECHAT_|PUBLIC_URL|COOKIE_SECRET|DATABASE_URL|REDIS_URL|STATIC_DIR|MP_VERIFY_DIR|HOST|PORT|LOG_LEVEL|NODE_ENV)/.test(
          k,
        ),
    ),
  )
  const child = spawn(tsx, ['--conditions=source', server], {
    cwd,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, cwd, output: () => out, exited }
}

async function waitFor(
  check: () => RegExpMatchArray | null,
  ms = 15_000,
): Promise<RegExpMatchArray> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    const match = check()
    if (match) return match
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('timed out')
}

describe('server.ts', () => {
  it('starts with no configuration at all (development defaults), serves, and stops on SIGTERM', async () => {
    const { child, cwd, output, exited } = start({ PORT: '0' })
    const [, url] = await waitFor(() =>
      /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output()),
    )
    const health = await fetch(`${url}/healthz`)
    expect(health.status).toBe(200)
    // The default SQLite file is created relative to the working directory.
    expect(existsSync(join(cwd, 'data', 'wxauth.sqlite'))).toBe(true)
    expect(output()).not.toContain('mock-secret-for-local-development-only')
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  it('survives the request that overflowed the log redaction (issue #12), and goes on answering', async () => {
    const { child, output, exited } = start({ PORT: '0' })
    const [, url] = await waitFor(() =>
      /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output()),
    )
    const { port } = new URL(url!)
    const status = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1')
      let out = ''
      socket.on('data', (d) => (out += d))
      socket.on('end', () => resolve(out.split('\r\n')[0] ?? ''))
      socket.on('error', reject)
      socket.write(
        `GET /healthz?${'=?'.repeat(1800)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      )
    })
    expect(status).toBe('HTTP/1.1 200 OK')
    // The request line is logged after the response: give a crash there the time to happen.
    await waitFor(() => /"url":"\/healthz\?=/.exec(output()))
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    expect(child.exitCode).toBeNull()
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  it('refuses to boot in production with missing keys, listing every one', async () => {
    const { output, exited } = start({ NODE_ENV: 'production', PORT: '0' })
    expect(await exited).toBe(1)
    for (const key of ['WECHAT_APPID', 'WECHAT_SECRET', 'PUBLIC_URL', 'COOKIE_SECRET']) {
      expect(output()).toContain(`${key} is required`)
    }
  })

  it('refuses to boot with a real WeChat secret but no COOKIE_SECRET, outside production too', async () => {
    const { output, exited } = start({
      PORT: '0',
      WECHAT_APPID: 'wx0123456789abcdef',
      WECHAT_SECRET: 'a-real-looking-secret-0123456789',
      PUBLIC_URL: 'https://h5.example.com',
    })
    expect(await exited).toBe(1)
    expect(output()).toContain(
      'COOKIE_SECRET is required once WECHAT_APPID or WECHAT_SECRET is set',
    )
    expect(output()).not.toContain('a-real-looking-secret-0123456789')
  })

  it('refuses REDIS_URL beside the SQLite file instead of silently half-distributing', async () => {
    const { output, exited } = start({ PORT: '0', REDIS_URL: 'redis://127.0.0.1:6379' })
    expect(await exited).toBe(1)
    expect(output()).toContain('REDIS_URL needs a postgres:// DATABASE_URL')
  })
})

describe('pnpm start', () => {
  it('says to run pnpm build first when the server is not built, instead of a stack trace', async () => {
    // A copy of the start script in a folder with no dist/ beside it, as on a fresh clone.
    const dir = mkdtempSync(join(tmpdir(), 'wxauth-start-'))
    dirs.push(dir)
    mkdirSync(join(dir, 'scripts'))
    copyFileSync(join(root, 'scripts', 'start.mjs'), join(dir, 'scripts', 'start.mjs'))
    const child = spawn(process.execPath, [join(dir, 'scripts', 'start.mjs')], { stdio: 'pipe' })
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect(code).toBe(1)
    expect(err).toContain('run `pnpm build` first')
    expect(err).not.toMatch(/\n\s+at /)
  })
})
