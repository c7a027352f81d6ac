/**
 * The README's "Log in with curl" recipe, run as written (only the ports changed) against the demo
 * BFF and the simulator on real sockets: if the API or the recipe drifts, this fails.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildMockWechat, DEFAULT_APP } from '@wxauth/mock-wechat'
import { buildApp } from '../src/app.js'
import { testConfig } from './helper.js'

const README = fileURLToPath(new URL('../../../README.md', import.meta.url))

/** The shell block of the README section `## Log in with curl`. */
function recipe(): string {
  const text = readFileSync(README, 'utf8')
  const section = text.slice(text.indexOf('## Log in with curl'))
  const block = /```sh\n([\s\S]*?)```/.exec(section)
  if (!block) throw new Error('no shell block under "Log in with curl"')
  return block[1]!
}

let mock: FastifyInstance
let bff: FastifyInstance
let dir: string
const port = (app: FastifyInstance) => (app.server.address() as { port: number }).port

beforeAll(async () => {
  mock = buildMockWechat({ apps: [{ ...DEFAULT_APP, domains: ['127.0.0.1:5173'] }] })
  await mock.listen({ port: 0, host: '127.0.0.1' })
  dir = mkdtempSync(join(tmpdir(), 'wxauth-curl-'))
  const wechat = `http://127.0.0.1:${port(mock)}`
  const config = testConfig({
    WECHAT_API_BASE: wechat,
    WECHAT_OPEN_BASE: wechat,
    DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
    LOG_LEVEL: 'silent',
  })
  bff = await buildApp(config)
  await bff.listen({ port: 0, host: '127.0.0.1' })
})
afterAll(async () => {
  await bff?.close()
  await mock?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('README: Log in with curl', () => {
  it('logs in with the four commands as written', async () => {
    const script = recipe()
      .replaceAll('127.0.0.1:3000', `127.0.0.1:${port(bff)}`)
      .replaceAll('127.0.0.1:3100', `127.0.0.1:${port(mock)}`)
    expect(script.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'))).toHaveLength(4)
    // Asynchronously: the servers answering the script run in this process.
    const { stdout: out } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
    })
    const [session, me] = out
      .trim()
      .split('\n')
      .slice(-2)
      .map((l) => JSON.parse(l))
    expect(session).toMatchObject({
      user: null,
      session: { scope: 'snsapi_base', snapshot: false },
    })
    expect(me).toEqual(session)
  })
})
