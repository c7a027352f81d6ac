/**
 * `pnpm dev` (scripts/dev.ts): the whole stack moves with WEB_PORT, PORT and MOCK_WECHAT_PORT (the
 * proxy, PUBLIC_URL and the simulator's domains follow), the BFF's logs are readable lines, a busy
 * port is one line naming its variable, and Ctrl+C stops everything quietly (`pnpm dev:mock` too).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it, onTestFinished } from 'vitest'
import { freePort } from './test-services.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const running: ChildProcess[] = []

/**
 * `scripts/dev.ts` itself, or (`pnpmArgs`) a README command such as `pnpm dev`, pnpm's own signal
 * handling included.
 */
function launch(env: Record<string, string>, pnpmArgs?: string[]) {
  const child = spawn(
    pnpmArgs ? 'pnpm' : process.execPath,
    pnpmArgs ?? ['--import', 'tsx', '--conditions=source', 'scripts/dev.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, as a terminal's foreground job is
    },
  )
  running.push(child)
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  return { child, output: () => output, exited }
}

/** Four free ports for the stack, and the variables that move it there. */
async function stackPorts() {
  const [web, bff, wechat, metrics] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ])
  const env = {
    WEB_PORT: String(web),
    PORT: String(bff),
    MOCK_WECHAT_PORT: String(wechat),
    METRICS_PORT: String(metrics),
  }
  return { env, web, wechat }
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 100))
  }
}

afterAll(() => {
  for (const child of running) {
    try {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL')
    } catch {
      /* gone */
    }
  }
})

describe('pnpm dev', () => {
  it('moves the whole stack with WEB_PORT, PORT and MOCK_WECHAT_PORT, and stops quietly on Ctrl+C', async () => {
    const { env, web, wechat } = await stackPorts()
    const dev = launch(env)
    await until(() => dev.output().includes('wxauth is running'), 90_000)
    expect(dev.output()).toContain(`http://127.0.0.1:${web}/`)

    // Vite's proxy follows PORT: the BFF answers through the page's origin.
    const me = await fetch(`http://127.0.0.1:${web}/api/me`)
    expect(me.status).toBe(401)
    expect(await me.json()).toMatchObject({ code: 'AUTH_REQUIRED' })
    // PUBLIC_URL follows WEB_PORT, the BFF points at the simulator's port, which authorises the page.
    const start = await fetch(`http://127.0.0.1:${web}/api/auth/authorize-url?returnTo=/`)
    const { url } = (await start.json()) as { url: string }
    expect(url.startsWith(`http://127.0.0.1:${wechat}/connect/oauth2/authorize?`)).toBe(true)
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${web}/`)
    const callback = await fetch(url, { redirect: 'manual' })
    expect(callback.status).toBe(302)
    expect(callback.headers.get('location')).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${web}/\\?code=`),
    )

    // Readable log lines, not raw JSON.
    await until(() => /bff\s+.*request/.test(dev.output()), 10_000)
    expect(dev.output()).not.toMatch(/"level":\d/)

    // Ctrl+C: the terminal signals the whole foreground group.
    const stoppedAt = Date.now()
    process.kill(-dev.child.pid!, 'SIGINT')
    expect(await dev.exited).toBe(0)
    expect(Date.now() - stoppedAt).toBeLessThan(5_000)
    expect(dev.output().trimEnd().endsWith('wxauth stopped.')).toBe(true)
    expect(dev.output()).not.toMatch(/ERR_PNPM|ELIFECYCLE|\n\s+at /)
  }, 120_000)

  it('stops on Ctrl+C under `pnpm dev` with exit 0 and no pnpm error line', async () => {
    const dev = launch((await stackPorts()).env, ['dev'])
    await until(() => dev.output().includes('wxauth is running'), 90_000)
    process.kill(-dev.child.pid!, 'SIGINT')
    // Under `sh -c` (pnpm's default script shell) this was 130 and a red ELIFECYCLE line
    // (pnpm-workspace.yaml, shellEmulator).
    expect(await dev.exited).toBe(0)
    expect(dev.output()).toContain('wxauth stopped.')
    expect(dev.output()).not.toMatch(/ERR_PNPM|ELIFECYCLE|Command failed/)
  }, 120_000)

  it('pnpm dev:mock: Ctrl+C while Vite is still bundling the dependencies exits 0, quietly', async () => {
    // --force: the optimizer bundles again at every start, so the signal lands while esbuild
    // (a child in the same group, stopped by the same Ctrl+C) is busy (apps/web/scripts/quiet-stop.mjs).
    // Its own cache: a forced bundle deletes the shared one under the other tests' dev servers.
    const cacheDir = mkdtempSync(join(tmpdir(), 'wxauth-vite-cache-'))
    onTestFinished(() => rmSync(cacheDir, { recursive: true, force: true }))
    const dev = launch({ WEB_PORT: String(await freePort()) }, [
      'dev:mock',
      '--force',
      '--cache-dir',
      cacheDir,
    ])
    await until(() => dev.output().includes('Forced re-optimization of dependencies'), 90_000)
    process.kill(-dev.child.pid!, 'SIGINT')
    expect(await dev.exited).toBe(0)
    expect(dev.output()).not.toMatch(/ERR_PNPM|ELIFECYCLE|Error|\(!\)|\n\s+at /)
  }, 120_000)

  it('names the variable to change when a port is busy, in one line, and starts nothing', async () => {
    const port = await freePort()
    const blocker: Server = createServer()
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve))
    try {
      const dev = launch({ PORT: String(port), WEB_PORT: String(await freePort()) })
      expect(await dev.exited).toBe(1)
      const lines = dev.output().trim().split('\n')
      expect(lines).toEqual([
        `pnpm dev: port ${port} is in use; set PORT to a free port (e.g. PORT=${port + 1} pnpm dev)`,
      ])
    } finally {
      blocker.close()
    }
  }, 30_000)
})
