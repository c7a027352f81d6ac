/**
 * `pnpm dev:mock`, for real: the root script in a child process on a free port (`WEB_PORT`), and
 * phones that cannot reach any host but 127.0.0.1 (the mock must work with no network at all).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { openPhone, requireChrome, type Phone } from '../support/browser.js'
import { freePort } from '../support/stack.js'

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..', '..')

/** Every host name fails to resolve except the loopback address: a phone with no network. */
export const OFFLINE_ARGS = ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1']

/** How long a cold `pnpm dev:mock` may take to answer (dependency pre-bundling included). */
const START_TIMEOUT_MS = 60_000

export interface DevMock {
  /** The page origin, e.g. `http://127.0.0.1:5174`. */
  origin: string
  /** Everything the command printed so far. */
  output(): string
  close(): Promise<void>
}

/** Start `pnpm dev:mock` with `WEB_PORT` set, and wait for it to answer. */
export async function startDevMock(): Promise<DevMock> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = { ...process.env, WEB_PORT: String(port), NO_COLOR: '1' }
  delete env.NODE_ENV // Vitest's `test`: the dev server decides its own
  delete env.FORCE_COLOR
  const child: ChildProcess = spawn('pnpm', ['dev:mock'], {
    cwd: REPO_ROOT,
    env,
    detached: true, // its own process group: pnpm, node and Vite stop together
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()))

  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.pid === undefined) return
    process.kill(-child.pid, 'SIGTERM')
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }

  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pnpm dev:mock exited early:\n${output}`)
    try {
      const response = await fetch(`${origin}/`)
      // Vite answers, and has printed the URLs (the scenarios come right after them).
      if (response.ok && output.includes('?mock=expired')) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await close()
      throw new Error(`pnpm dev:mock did not answer within ${START_TIMEOUT_MS} ms:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return { origin, output: () => output, close }
}

export interface MockSuite {
  readonly server: DevMock
  /** A fresh offline phone (no cookie, no storage, no service worker), closed after the test. */
  openPhone(userAgent?: string): Promise<Phone>
}

/** One `pnpm dev:mock` for the file, and every phone a test opened closed after it. */
export function useDevMock(): MockSuite {
  let server: DevMock | undefined
  const phones: Phone[] = []
  beforeAll(async () => {
    requireChrome()
    server = await startDevMock()
  })
  afterAll(async () => {
    await server?.close()
  })
  afterEach(async () => {
    await Promise.allSettled(phones.splice(0).map((phone) => phone.close()))
  })
  return {
    get server() {
      if (!server) throw new Error('pnpm dev:mock is not running (beforeAll failed?)')
      return server
    },
    async openPhone(userAgent) {
      const phone = await openPhone(userAgent, { args: OFFLINE_ARGS })
      phones.push(phone)
      return phone
    },
  }
}
