import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url))

interface Run {
  output: () => string
  waitFor: (pattern: RegExp) => Promise<RegExpExecArray>
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  kill: (signal: NodeJS.Signals) => void
}

function runCli(env: Record<string, string>, args: string[] = []): Run {
  const child = spawn(tsx, ['--conditions=source', 'src/cli.ts', ...args], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const listeners = new Set<() => void>()
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8')
    for (const listener of listeners) listener()
  }
  child.stdout.on('data', onData)
  child.stderr.on('data', onData)
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return {
    output: () => output,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output)
          if (match) {
            listeners.delete(check)
            resolve(match)
          }
        }
        listeners.add(check)
        check()
        void exit.then(() => reject(new Error(`exited before ${pattern}: ${output}`)))
      }),
    exit,
    kill: (signal) => child.kill(signal),
  }
}

describe('cli', () => {
  it('listens, prints the URL, the app and the control page, and exits 0 on SIGTERM', async () => {
    const run = runCli({ MOCK_WECHAT_PORT: '0', MOCK_WECHAT_HOST: '127.0.0.1' })
    try {
      const [, url] = await run.waitFor(/URL +(http:\/\/127\.0\.0\.1:\d+)/)
      await run.waitFor(/Point a client at it/)
      expect(run.output()).toContain(`Control page  ${url}/__mock`)
      expect(run.output()).toContain('wx5f3c1a9e2b7d4f60 (default development app)')
      expect(run.output()).not.toContain('mock-secret-for-local-development-only')
      const personas = await fetch(`${url}/__mock/personas`)
      expect(personas.status).toBe(200)
    } finally {
      run.kill('SIGTERM')
    }
    expect(await run.exit).toEqual({ code: 0, signal: null })
  }, 30_000)

  it('applies flags and environment variables to the simulator it starts', async () => {
    const run = runCli({ MOCK_WECHAT_PORT: '0', MOCK_WECHAT_TIMEOUT_HOLD_MS: '250' }, [
      '--strict-state',
      '--order-check',
      'all',
      '--authorize-rate-limit',
      '500',
    ])
    try {
      const [, url] = await run.waitFor(/URL +(http:\/\/127\.0\.0\.1:\d+)/)
      await run.waitFor(/Point a client at it/)
      expect(run.output()).toContain('parameter order checked: all')
      const state = (await (await fetch(`${url}/__mock/state`)).json()) as Record<string, unknown>
      expect(state).toMatchObject({
        strictState: true,
        orderCheck: 'all',
        timeoutHoldMs: 250,
        authorizeRateLimitPerMinute: 500,
      })
    } finally {
      run.kill('SIGTERM')
    }
    expect(await run.exit).toEqual({ code: 0, signal: null })
  }, 30_000)

  it('exits 1 with a readable message when MOCK_WECHAT_APPS is invalid', async () => {
    const run = runCli({ MOCK_WECHAT_PORT: '0', MOCK_WECHAT_APPS: '[{"appid":"wxa"}]' })
    expect((await run.exit).code).toBe(1)
    expect(run.output()).toMatch(/mock-wechat: Invalid mock WeChat apps: apps\[0\]/)
  }, 30_000)
})
