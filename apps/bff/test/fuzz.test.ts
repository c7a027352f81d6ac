/**
 * The hardening fuzz suite against the demo as operators run it (issue #12): `src/server.ts` in a
 * process of its own, serving a built SPA, the MP_verify files and the OpenAPI UI, with the
 * simulator behind it. Thousands of generated hostile requests over raw sockets (the generators of
 * packages/fastify/test/fuzz), seeded and bounded. For every one an answer below 500; after all of
 * them the process is alive and serving, WeChat was never called, no row was written, nothing was
 * logged at error level, and SIGTERM still stops it cleanly (exit 0).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildMockWechat, DEFAULT_APP } from '@wxauth/mock-wechat'
import {
  checkAnswer,
  runFuzz,
  sendRaw,
  toBytes,
} from '../../../packages/fastify/test/fuzz/hostile-requests.js'
import { COOKIE_SECRET, PUBLIC_URL, leakLedger } from './helper.js'
import { startServerProcess, type ServerProcess } from './support/server-process.js'

const SEED = Number(process.env.FUZZ_SEED ?? 20_251_202)
const RUNS = Number(process.env.FUZZ_RUNS ?? 5_000)

let mock: FastifyInstance
let cwd: string
let server: ServerProcess

beforeAll(async () => {
  mock = buildMockWechat({ apps: [{ ...DEFAULT_APP, domains: ['127.0.0.1:5173'] }] })
  await mock.listen({ port: 0, host: '127.0.0.1' })
  const mockUrl = `http://127.0.0.1:${(mock.server.address() as { port: number }).port}`
  cwd = mkdtempSync(join(tmpdir(), 'wxauth-fuzz-'))
  mkdirSync(join(cwd, 'spa', 'assets'), { recursive: true })
  writeFileSync(join(cwd, 'spa', 'index.html'), '<!doctype html><div id="app"></div>')
  writeFileSync(join(cwd, 'spa', 'assets', 'index.js'), 'console.log(1)')
  mkdirSync(join(cwd, 'mp'))
  writeFileSync(join(cwd, 'mp', 'MP_verify_abc.txt'), 'abc')
  server = await startServerProcess(cwd, {
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL,
    COOKIE_SECRET,
    WECHAT_API_BASE: mockUrl,
    WECHAT_OPEN_BASE: mockUrl,
    STATIC_DIR: join(cwd, 'spa'),
    MP_VERIFY_DIR: join(cwd, 'mp'),
    LOG_LEVEL: 'info',
  })
}, 30_000)

afterAll(async () => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL')
  for (const line of server?.output().split('\n') ?? []) if (line) leakLedger().logLines.push(line)
  await mock?.close()
  rmSync(cwd, { recursive: true, force: true })
})

describe('fuzz: the server process', () => {
  it(`answers ${RUNS} generated requests, none with a 5xx; alive, nothing written, clean stop`, async () => {
    const port = Number(new URL(server.url).port)
    const { statuses, seconds } = await runFuzz(
      async (request) => {
        const answer = await sendRaw(port, toBytes(request))
        const problem = checkAnswer(request, answer)
        if (problem !== null) throw new Error(problem)
        if (server.child.exitCode !== null) throw new Error('the server process exited')
        return answer.status
      },
      { runs: RUNS, seed: SEED },
    )
    console.log(
      `fuzz (server.ts): ${RUNS} cases in ${seconds.toFixed(1)} s; ${JSON.stringify(statuses)}`,
    )

    expect(server.child.exitCode).toBeNull()
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    expect((await fetch(`${server.url}/`)).status).toBe(200)
    const counts = (
      (await mock.inject('/__mock/calls')).json() as { counts: Record<string, number> }
    ).counts
    expect(counts['sns/oauth2/access_token'] ?? 0).toBe(0)
    const errors = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{') && Number(JSON.parse(line).level) >= 50)
    expect(errors).toEqual([])

    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    const db = new BetterSqlite3(join(cwd, 'data', 'wxauth.sqlite'), { readonly: true })
    try {
      for (const table of ['users', 'sessions', 'activity_participants']) {
        const { n } = db.prepare(`select count(*) as n from ${table}`).get() as { n: number }
        expect(n, table).toBe(0)
      }
    } finally {
      db.close()
    }
    for (const status of [200, 400, 401, 403, 404]) expect(statuses[status] ?? 0).toBeGreaterThan(0)
  }, 120_000)
})
