/**
 * One id per request: an incoming `X-Request-Id` of a safe shape is kept, anything else is replaced
 * by a fresh id; the id is in the response header and in every log line of the request, the WeChat
 * call lines included, so one login can be followed from the SPA's request to WeChat's answer.
 * Over real HTTP (a request body is read from socket events, outside the request's first hook).
 */
import { request as httpRequest } from 'node:http'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STATE_HEADER, CODE_HEADER } from '@wxauth/shared'
import { REQUEST_ID_HEADER, requestIdOptions } from '../../src/index.js'
import { requestIdOf } from '../../src/http/request-id.js'
import { build, type TestContext } from '../helper.js'
import { cookiesOf, listen } from '../metrics/scrape.js'

let ctx: TestContext
let base: string
beforeAll(async () => {
  ctx = await build()
  base = await listen(ctx.app)
})
afterAll(async () => {
  await ctx?.close()
})

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** The log lines written while `run` ran (one request in flight at a time here). */
async function linesDuring(run: () => Promise<void>): Promise<Array<Record<string, unknown>>> {
  const from = ctx.logs.length
  await run()
  // The one-line-per-request line is written as the response completes.
  await new Promise((resolve) => setTimeout(resolve, 20))
  return ctx.logs.slice(from)
}

async function startLogin(): Promise<{ code: string; state: string; cookie: string }> {
  const start = await fetch(`${base}/api/auth/authorize-url?returnTo=%2F&scope=snsapi_userinfo`)
  const { url } = (await start.json()) as { url: string }
  const { code, state } = await ctx.authorize(url, 'alice')
  return { code, state, cookie: cookiesOf(start) }
}

describe('X-Request-Id', () => {
  it('keeps a safe incoming id: in the response and in every line of the login, WeChat calls included', async () => {
    const { code, state, cookie } = await startLogin()
    const id = 'lb-7f3a9c.01:login_42'
    let response!: Response
    const lines = await linesDuring(async () => {
      response = await fetch(`${base}/api/me`, {
        headers: { cookie, [CODE_HEADER]: code, [STATE_HEADER]: state, [REQUEST_ID_HEADER]: id },
      })
      expect(response.status).toBe(200)
    })
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe(id)
    const messages = lines.map((l) => l.msg)
    expect(messages).toEqual(expect.arrayContaining(['wechat call', 'code exchanged', 'request']))
    const calls = lines.filter((l) => l.msg === 'wechat call')
    expect(calls.map((l) => l.endpoint)).toEqual(['sns/oauth2/access_token', 'sns/userinfo'])
    for (const line of lines) expect(line, String(line.msg)).toMatchObject({ reqId: id })
  })

  it('keeps it through a request body that arrives after the headers: POST /api/auth/session', async () => {
    const { code, state, cookie } = await startLogin()
    const id = 'spa-session-1'
    let answered!: { status: number; id: string | undefined }
    const lines = await linesDuring(async () => {
      // Headers first, the body 50 ms later: it is read from socket events of its own.
      answered = await new Promise((resolve, reject) => {
        const request = httpRequest(
          `${base}/api/auth/session`,
          {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/json', [REQUEST_ID_HEADER]: id },
          },
          (response) => {
            response.resume()
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                id: response.headers[REQUEST_ID_HEADER] as string | undefined,
              }),
            )
          },
        )
        request.on('error', reject)
        request.flushHeaders()
        setTimeout(() => request.end(JSON.stringify({ code, state })), 50)
      })
    })
    expect(answered).toEqual({ status: 200, id })
    // alice's profile is stored by now: the exchange alone, no sns/userinfo.
    const calls = lines.filter((l) => l.msg === 'wechat call')
    expect(calls.map((l) => l.endpoint)).toEqual(['sns/oauth2/access_token'])
    for (const line of lines) expect(line, String(line.msg)).toMatchObject({ reqId: id })
  })

  it('logs a failed WeChat call with the id too', async () => {
    const { code, state, cookie } = await startLogin()
    await ctx.control('fail', { endpoint: 'sns/oauth2/access_token', mode: 'errcode', errcode: -1 })
    const lines = await linesDuring(async () => {
      const response = await fetch(`${base}/api/me`, {
        headers: {
          cookie,
          [CODE_HEADER]: code,
          [STATE_HEADER]: state,
          [REQUEST_ID_HEADER]: 'failing-1',
        },
      })
      expect(response.status).toBe(503)
      expect(response.headers.get(REQUEST_ID_HEADER)).toBe('failing-1')
    })
    expect(lines.find((l) => l.msg === 'wechat call failed')).toMatchObject({
      reqId: 'failing-1',
      errcode: -1,
    })
    for (const line of lines) expect(line).toMatchObject({ reqId: 'failing-1' })
  })

  it('keeps it on the WeChat lines of a profile refresh, a follower lookup and a JS-SDK signature', async () => {
    const { browser } = await ctx.login('follower')
    await ctx.control('clock', { advanceSeconds: 7201 }) // the web token expired: refresh_token too
    const asks = [
      ['POST', '/api/me/refresh', 'refresh-1', ['sns/oauth2/refresh_token', 'sns/userinfo']],
      ['GET', '/api/me/subscription', 'follow-1', ['cgi-bin/stable_token', 'cgi-bin/user/info']],
      [
        'GET',
        `/api/jssdk/config?url=${encodeURIComponent('http://127.0.0.1:5173/')}`,
        'jssdk-1',
        ['cgi-bin/ticket/getticket'],
      ],
    ] as const
    for (const [method, url, id, endpoints] of asks) {
      const from = ctx.logs.length
      const response = await browser.request({
        method,
        url,
        headers: { [REQUEST_ID_HEADER]: id },
      })
      expect(response.statusCode, `${url}: ${response.body}`).toBe(200)
      const calls = ctx.logs.slice(from).filter((l) => l.msg === 'wechat call')
      expect(calls.map((l) => l.endpoint)).toEqual(endpoints)
      for (const call of calls) expect(call).toMatchObject({ reqId: id, component: 'wechat' })
    }
  })

  it('gives each of concurrent logins its own id on its WeChat lines', async () => {
    const logins = await Promise.all(
      ['c-1', 'c-2', 'c-3', 'c-4'].map(async (id) => ({ id, ...(await startLogin()) })),
    )
    const from = ctx.logs.length
    await Promise.all(
      logins.map(async ({ id, code, state, cookie }) => {
        const response = await fetch(`${base}/api/me`, {
          headers: { cookie, [CODE_HEADER]: code, [STATE_HEADER]: state, [REQUEST_ID_HEADER]: id },
        })
        expect(response.status).toBe(200)
      }),
    )
    const calls = ctx.logs.slice(from).filter((l) => l.msg === 'wechat call')
    expect(calls).toHaveLength(4)
    expect(calls.map((l) => l.reqId).sort()).toEqual(['c-1', 'c-2', 'c-3', 'c-4'])
    // The login's own lines carry the same id as its WeChat call.
    for (const { id } of logins) {
      expect(
        ctx.logs
          .slice(from)
          .filter((l) => l.reqId === id)
          .map((l) => l.msg),
      ).toEqual(expect.arrayContaining(['wechat call', 'code exchanged', 'request']))
    }
  })

  it('replaces an unsafe id (spaces, 300 characters, quotes, two headers) with a fresh one', async () => {
    const unsafe = ['has spaces', 'x'.repeat(300), 'a"b', '', 'é']
    const seen = new Set<string>()
    for (const value of unsafe) {
      const response = await fetch(`${base}/healthz`, { headers: { [REQUEST_ID_HEADER]: value } })
      const id = response.headers.get(REQUEST_ID_HEADER) ?? ''
      expect(id, JSON.stringify(value)).toMatch(UUID)
      seen.add(id)
    }
    const twice = await ctx.app.inject({
      url: '/healthz',
      headers: { [REQUEST_ID_HEADER]: ['one', 'two'] },
    })
    expect(twice.headers[REQUEST_ID_HEADER]).toMatch(UUID)
    expect(seen.size).toBe(unsafe.length)
  })

  it('refuses CR/LF, which could forge a header or a log line', () => {
    for (const value of ['a\r\nSet-Cookie: x=1', 'a\nb', 'a\rb', 'a\tb']) {
      expect(requestIdOf({ headers: { [REQUEST_ID_HEADER]: value } })).toMatch(UUID)
    }
    expect(requestIdOf({ headers: { [REQUEST_ID_HEADER]: 'x'.repeat(128) } })).toBe('x'.repeat(128))
    expect(requestIdOf({ headers: {} })).toMatch(UUID)
  })

  it('makes a fresh id per request when none comes, on errors and unknown routes too', async () => {
    const ids = await Promise.all(
      ['/api/me', '/nowhere', '/healthz'].map(async (path) => {
        const response = await fetch(`${base}${path}`)
        return response.headers.get(REQUEST_ID_HEADER) ?? ''
      }),
    )
    for (const id of ids) expect(id).toMatch(UUID)
    expect(new Set(ids).size).toBe(3)
  })

  it('is what the request line logs as reqId', async () => {
    const lines = await linesDuring(async () => {
      await fetch(`${base}/api/me`, { headers: { [REQUEST_ID_HEADER]: 'one-line-1' } })
    })
    expect(lines).toEqual([expect.objectContaining({ msg: 'request', reqId: 'one-line-1' })])
  })
})

describe('an app without requestIdOptions', () => {
  it('still answers with the id Fastify gave the request', async () => {
    const app = Fastify()
    const { default: wechatAuth } = await import('../../src/index.js')
    await app.register(wechatAuth, { ...ctx.options, databaseUrl: 'sqlite::memory:' })
    try {
      const response = await app.inject({
        url: '/healthz',
        headers: { [REQUEST_ID_HEADER]: 'ignored' },
      })
      expect(response.headers[REQUEST_ID_HEADER]).toMatch(/^req-[0-9a-z]+$/)
    } finally {
      await app.close()
    }
  })

  it('requestIdOptions() is what such an app passes to Fastify()', () => {
    const options = requestIdOptions()
    expect(options.requestIdHeader).toBe(false)
    expect(options.genReqId({ headers: { [REQUEST_ID_HEADER]: 'kept-1' } } as never)).toBe('kept-1')
  })
})
