/**
 * The hardening fuzz suite (issue #12): thousands of generated hostile requests over real HTTP (raw
 * sockets, so malformed request lines reach the server as sent) against an app that adopts the
 * plugin (the fixture), seeded and bounded in time. For every one: an answer, never a 5xx. After
 * all of them: the process still serves, WeChat was never called, nothing was written, and nothing
 * was logged at error level.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, type TestContext } from './helper.js'
import { checkAnswer, runFuzz, sendRaw, toBytes } from './fuzz/hostile-requests.js'

/** Seeded: a failure names the seed and path that replay it (FUZZ_SEED to try another). */
const SEED = Number(process.env.FUZZ_SEED ?? 20_251_201)
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000)

let ctx: TestContext
let port: number
beforeAll(async () => {
  ctx = await build()
  port = Number(new URL(await ctx.app.listen({ port: 0, host: '127.0.0.1' })).port)
})
afterAll(async () => {
  await ctx?.close()
})

describe('fuzz: hostile requests over real HTTP', () => {
  it(`answers ${RUNS} generated requests, none with a 5xx, and changes nothing`, async () => {
    // In process, a throw after the answer (a log serializer, a 'finish' listener) would not fail
    // a request, only the process: caught here.
    const uncaught: unknown[] = []
    const onUncaught = (error: unknown) => uncaught.push(error)
    process.on('uncaughtException', onUncaught)
    process.on('unhandledRejection', onUncaught)
    const { statuses, seconds } = await runFuzz(
      async (request) => {
        const answer = await sendRaw(port, toBytes(request))
        const problem = checkAnswer(request, answer)
        if (problem !== null) throw new Error(problem)
        return answer.status
      },
      { runs: RUNS, seed: SEED },
    )
    console.log(
      `fuzz: ${RUNS} cases in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(statuses)}`,
    )

    process.off('uncaughtException', onUncaught)
    process.off('unhandledRejection', onUncaught)
    expect(uncaught.map(String)).toEqual([])
    // Still alive and serving.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
    // Nothing reached WeChat, nothing was written.
    expect((await ctx.counts())['sns/oauth2/access_token'] ?? 0).toBe(0)
    for (const table of ['users', 'sessions', 'orders']) expect(await ctx.count(table)).toBe(0)
    // Bad input is the client's problem: never an error-level line.
    expect(ctx.logs.filter((l) => Number(l.level) >= 50).map((l) => l.msg)).toEqual([])
    // The generator did reach the interesting answers.
    for (const status of [400, 401, 403, 404]) expect(statuses[status] ?? 0).toBeGreaterThan(0)
  }, 120_000)
})
