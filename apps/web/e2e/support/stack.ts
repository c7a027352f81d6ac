/**
 * The system under test, for real: the built SPA served by the BFF (`buildApp`, in-memory SQLite),
 * talking to the WeChat simulator (`buildMockWechat`), both on 127.0.0.1.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { buildApp } from '../../../bff/src/app.js'
import { loadConfig } from '../../../bff/src/config.js'
import { DEFAULT_APP, buildMockWechat } from '../../../../packages/mock-wechat/src/index.js'

const WEB_ROOT = resolve(import.meta.dirname, '..', '..')

/**
 * Build the SPA into a temp dir with Vite's JS API (scripts/build-spa.mjs). In a child process:
 * Vitest sets NODE_ENV=test, which would make Vite produce a development build.
 */
export async function buildSpa(routerMode: 'history' | 'hash'): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), `wxauth-spa-${routerMode}-`))
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' }
  for (const key of Object.keys(env)) if (key.startsWith('VITE_')) delete env[key]
  await promisify(execFile)(
    process.execPath,
    ['scripts/build-spa.mjs', '--out-dir', outDir, '--router-mode', routerMode],
    { cwd: WEB_ROOT, env },
  )
  return outDir
}

/** A port nobody listens on right now (the BFF must know its own origin before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}

export interface MockCalls {
  calls: Array<{ endpoint: string; params: Record<string, string>; errcode?: number }>
  counts: Record<string, number>
}

export interface Stack {
  /** The BFF's origin, which is also PUBLIC_URL and the SPA's origin. */
  origin: string
  /** The simulator's origin. */
  wechat: string
  /** `GET /__mock/calls`. */
  calls(): Promise<MockCalls>
  /** How often an endpoint was called (`sns/oauth2/access_token`, `connect/oauth2/authorize`…). */
  count(endpoint: string): Promise<number>
  /** `POST /__mock/<path>` with a JSON body. */
  control(path: string, body?: unknown): Promise<unknown>
  close(): Promise<void>
}

/** Start the simulator and a BFF serving `staticDir`. */
export async function startStack(staticDir: string): Promise<Stack> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const mock = buildMockWechat({
    apps: [{ ...DEFAULT_APP, domains: [...DEFAULT_APP.domains, `127.0.0.1:${port}`] }],
    // the suite makes many authorize trips from one IP in well under a minute
    authorizeRateLimitPerMinute: 10_000,
  })
  await mock.listen({ port: 0, host: '127.0.0.1' })
  const address = mock.server.address()
  if (typeof address !== 'object' || address === null) throw new Error('simulator has no address')
  const wechat = `http://127.0.0.1:${address.port}`

  const config = loadConfig({
    NODE_ENV: 'test',
    WECHAT_APPID: DEFAULT_APP.appid,
    WECHAT_SECRET: DEFAULT_APP.secret,
    PUBLIC_URL: origin,
    COOKIE_SECRET: 'e2e-cookie-secret-that-is-long-enough-0123456789',
    WECHAT_API_BASE: wechat,
    WECHAT_OPEN_BASE: wechat,
    DATABASE_URL: 'sqlite::memory:',
    STATIC_DIR: staticDir,
    LOG_LEVEL: 'silent',
  })
  const bff = await buildApp(config)
  await bff.listen({ port, host: '127.0.0.1' })

  const control = async (path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${wechat}/__mock/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    })
    if (!res.ok) throw new Error(`POST /__mock/${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }
  const calls = async (): Promise<MockCalls> =>
    (await (await fetch(`${wechat}/__mock/calls`)).json()) as MockCalls

  return {
    origin,
    wechat,
    calls,
    count: async (endpoint) => (await calls()).counts[endpoint] ?? 0,
    control,
    async close() {
      await bff.close()
      await mock.close()
    },
  }
}

/** Remove a temp dir made by {@link buildSpa}. */
export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true })
}
