/**
 * Issue #12.6: with no request or connection timeout, 200 sockets with unfinished bodies stayed
 * open for 45 s. Now a slow-loris socket (bytes trickling in, so it never looks idle) is answered
 * 408 and closed once REQUEST_TIMEOUT_MS has passed, and the server keeps serving meanwhile.
 */
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONNECTION_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../src/app.js'
import { build, type TestContext } from './helper.js'

let ctx: TestContext
let port: number
beforeAll(async () => {
  ctx = await build()
  port = Number(new URL(await ctx.app.listen({ port: 0, host: '127.0.0.1' })).port)
})
afterAll(async () => {
  await ctx?.close()
})

describe('server timeouts', () => {
  it('are set: the whole request in 10 s, a silent socket closed after 30 s', () => {
    expect(REQUEST_TIMEOUT_MS).toBe(10_000)
    expect(CONNECTION_TIMEOUT_MS).toBe(30_000)
    expect(ctx.app.server.requestTimeout).toBe(REQUEST_TIMEOUT_MS)
    expect(ctx.app.server.headersTimeout).toBe(REQUEST_TIMEOUT_MS)
    expect(ctx.app.server.timeout).toBe(CONNECTION_TIMEOUT_MS)
    expect(ctx.app.server.keepAliveTimeout).toBe(72_000)
  })

  it('close slow-loris sockets (unfinished headers or bodies) soon after the request timeout', async () => {
    const opened = Date.now()
    const sockets: Array<{ socket: Socket; closedAt: Promise<number>; reply: () => string }> = []
    for (let i = 0; i < 60; i++) {
      const socket = connect(port, '127.0.0.1')
      let reply = ''
      socket.on('data', (d) => (reply += d))
      socket.on('error', () => {})
      const closedAt = new Promise<number>((resolve) =>
        socket.on('close', () => resolve(Date.now())),
      )
      socket.write(
        i % 2 === 0
          ? 'POST /api/auth/session HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 4000\r\n\r\n{"code":"'
          : 'GET /api/me HTTP/1.1\r\nHost: x\r\nX-Slow: ',
      )
      sockets.push({ socket, closedAt, reply: () => reply })
    }
    // One byte per socket every second: never idle, never complete.
    const trickle = setInterval(() => {
      for (const { socket } of sockets) if (!socket.destroyed) socket.write('a')
    }, 1_000)
    try {
      // Still serving everyone else meanwhile.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
      const closed = await Promise.all(sockets.map((s) => s.closedAt))
      const slowest = Math.max(...closed) - opened
      const fastest = Math.min(...closed) - opened
      expect(fastest).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 500)
      expect(slowest).toBeLessThan(REQUEST_TIMEOUT_MS + 2_500)
      for (const { reply } of sockets) expect(reply()).toMatch(/^HTTP\/1\.1 408/)
    } finally {
      clearInterval(trickle)
      for (const { socket } of sockets) socket.destroy()
    }
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
  }, 30_000)
})
