/**
 * Issue #12.7: a client that hangs up while sending its body used to be logged as "store
 * unavailable" at error level (ECONNRESET looked like a database socket), so anyone could raise
 * false "DB down" alerts. Over real sockets: both a FIN and a TCP reset mid-body.
 */
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, type TestContext } from '../helper.js'

let ctx: TestContext
let port: number
beforeAll(async () => {
  ctx = await build()
  port = Number(new URL(await ctx.app.listen({ port: 0, host: '127.0.0.1' })).port)
})
afterAll(async () => {
  await ctx?.close()
})

/** Send a request line, headers and part of the body, then hang up (`reset`: RST, not FIN). */
function abortMidBody(reset: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        'POST /api/auth/session HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n' +
          'content-length: 1000\r\n\r\n{"code":"',
      )
      setTimeout(() => {
        if (reset) socket.resetAndDestroy()
        else socket.destroy()
        resolve()
      }, 50)
    })
    socket.on('error', reject)
  })
}

describe('a client that hangs up mid-body', () => {
  it.each([
    ['closes the connection', false],
    ['resets the connection', true],
  ])('%s: logged at info as a hang-up, never as a store outage', async (_, reset) => {
    const before = ctx.logs.length
    await abortMidBody(reset)
    await expect
      .poll(() => ctx.logs.slice(before).find((l) => l.msg === 'client hung up mid-request'))
      .toMatchObject({ level: 30, clientAbort: 'ECONNRESET' })
    const lines = ctx.logs.slice(before)
    expect(lines.filter((l) => Number(l.level) >= 50)).toEqual([])
    expect(lines.find((l) => l.msg === 'store unavailable')).toBeUndefined()
    // And the server is fine.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
  })
})
