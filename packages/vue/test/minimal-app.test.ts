/**
 * `@wxauth/vue` in a minimal app (./minimal-app), wired as an adopter would: createWechatAuth
 * before createRouter, pinia, the plugin, a router with one guard, a view that calls
 * `api('/orders')`, and `<WechatAuthScreen />` for the screens. The page is happy-dom's (its fetch is real HTTP, with
 * a cookie jar), the server a small `node:http` one on port 0 that answers like the auth routes:
 * 401 without a session, a session (cookie) for the right code headers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { App } from 'vue'
import { flushPromises } from '@vue/test-utils'
import { ERROR_STATUS, type ErrorCode, type MeResponse } from '@wxauth/shared'
import { boot } from './minimal-app/main.js'

const CODE = '071CyW000UGidO1SxY000uNATs1CyW04'
const STATE = 'Zq3xY9bK2mP7vR1tW5sN8dF4gH6jL0aC'
const ME: MeResponse = {
  user: {
    id: 1,
    openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
    nickname: '陈小雨 Alice',
    headimgurl: '',
    sex: 0,
    province: '',
    city: '',
    country: '',
    privilege: [],
    createdAt: '2025-01-01T00:00:00.000Z',
  },
  session: { scope: 'snsapi_base', snapshot: false, expiresAt: '2030-01-01T00:00:00.000Z' },
}

interface Seen {
  method: string
  path: string
  code: string | undefined
  state: string | undefined
  cookie: string | undefined
}

/** The server side of the login, reduced to what the page relies on. */
function authServer(options: { failFirstExchange?: boolean } = {}) {
  const seen: Seen[] = []
  // Cookies ignore the port: each server has its own session id, so one test's session is not
  // another's.
  const sid = `s${Math.random().toString(36).slice(2)}`
  let failExchange = options.failFirstExchange === true
  const server: Server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const header = (name: string) => {
      const value = req.headers[name]
      return Array.isArray(value) ? value[0] : value
    }
    seen.push({
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      code: header('x-wechat-code'),
      state: header('x-wechat-state'),
      cookie: header('cookie'),
    })
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(body))
    }
    const fail = (code: ErrorCode) =>
      send(ERROR_STATUS[code], { statusCode: ERROR_STATUS[code], code, message: code })

    if (url.pathname === '/api/auth/authorize-url') {
      const redirect = `http://${req.headers.host}${url.searchParams.get('returnTo')}`
      return send(200, {
        url:
          'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx5f3c1a9e2b7d4f60' +
          `&redirect_uri=${encodeURIComponent(redirect)}&response_type=code` +
          `&scope=${url.searchParams.get('scope')}&state=${STATE}#wechat_redirect`,
        state: STATE,
      })
    }
    let setCookie: Record<string, string> = {}
    if (header('cookie')?.includes(`sid=${sid}`) !== true) {
      if (header('x-wechat-code') === undefined) return fail('AUTH_REQUIRED')
      if (header('x-wechat-code') !== CODE || header('x-wechat-state') !== STATE) {
        return fail('CODE_INVALID')
      }
      if (failExchange) {
        failExchange = false
        return fail('WECHAT_UNAVAILABLE')
      }
      setCookie = { 'set-cookie': `sid=${sid}; Path=/; HttpOnly; SameSite=Lax` }
    }
    if (url.pathname === '/api/me') return send(200, ME, setCookie)
    if (url.pathname === '/api/orders')
      return send(200, [{ id: 7, title: '周末读书会' }], setCookie)
    return fail('NOT_FOUND')
  })
  return { server, seen, sid }
}

/** Start the minimal app on a fresh root element. */
function start(): { app: App; root: HTMLElement } {
  const root = document.createElement('div')
  document.body.append(root)
  return { app: boot(root), root }
}

const page = window as unknown as { happyDOM: { setURL(url: string): void } }

describe('a minimal app on @wxauth/vue, against a real HTTP server', () => {
  let server: Server | undefined
  let app: App | undefined
  let origin = ''

  let sid = ''

  async function listen(s: ReturnType<typeof authServer>): Promise<Seen[]> {
    server = s.server
    sid = s.sid
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve))
    const address = s.server.address()
    if (typeof address !== 'object' || address === null) throw new Error('no address')
    origin = `http://127.0.0.1:${address.port}`
    return s.seen
  }

  beforeEach(() => {
    sessionStorage.clear()
    vi.spyOn(window.location, 'assign').mockImplementation(() => {})
  })
  afterEach(async () => {
    app?.unmount()
    app = undefined
    vi.restoreAllMocks()
    await new Promise((resolve) => server?.close(resolve))
    document.body.innerHTML = ''
  })

  it('first visit: 401, then the silent trip to WeChat back to the same route', async () => {
    const seen = await listen(authServer())
    page.happyDOM.setURL(`${origin}/orders?x=1`)
    ;({ app } = start())
    await vi.waitFor(() => expect(window.location.assign).toHaveBeenCalledOnce())

    expect(seen.map((r) => [r.path.split('?')[0], r.code])).toEqual([
      ['/api/me', undefined],
      ['/api/auth/authorize-url', undefined],
    ])
    const query = new URL(seen[1]?.path ?? '', origin).searchParams
    expect([query.get('returnTo'), query.get('scope')]).toEqual(['/orders?x=1', 'snsapi_base'])
    const target = new URL(vi.mocked(window.location.assign).mock.calls[0]?.[0] ?? '')
    expect(target.origin + target.pathname).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize',
    )
    expect(target.searchParams.get('redirect_uri')).toBe(`${origin}/orders?x=1`)
    expect(target.hash).toBe('#wechat_redirect')
    expect(document.querySelector('[data-test=redirecting], [data-test^=screen-]')).toBeNull()
  })

  it('back with a code: the address bar is cleaned, the code goes in headers until a 200', async () => {
    const seen = await listen(authServer())
    page.happyDOM.setURL(`${origin}/orders?x=1&code=${CODE}&state=${STATE}`)
    ;({ app } = start())
    // cleaned by createWechatAuth(), before the router read the URL
    expect(window.location.href).toBe(`${origin}/orders?x=1`)
    await vi.waitFor(() => expect(document.querySelector('[data-test=order]')).not.toBeNull())

    expect(document.querySelector('[data-test=nickname]')?.textContent).toBe('陈小雨 Alice')
    expect(seen).toEqual([
      { method: 'GET', path: '/api/me', code: CODE, state: STATE, cookie: undefined },
      // the code was dropped after the first 200; the session cookie carries on
      {
        method: 'GET',
        path: '/api/orders',
        code: undefined,
        state: undefined,
        cookie: `sid=${sid}`,
      },
    ])
    expect(window.location.assign).not.toHaveBeenCalled()
  })

  it('WeChat unavailable during the exchange: the screen, and retry resends the kept code', async () => {
    const seen = await listen(authServer({ failFirstExchange: true }))
    page.happyDOM.setURL(`${origin}/orders?code=${CODE}&state=${STATE}`)
    let root: HTMLElement
    ;({ app, root } = start())
    await vi.waitFor(() =>
      expect(root.querySelector('[data-test=screen-unavailable]')).not.toBeNull(),
    )
    expect(root.querySelector('.weui-msg__title')?.textContent).toBe('微信服务暂时不可用')

    root.querySelector<HTMLButtonElement>('[data-test=retry]')?.click()
    await vi.waitFor(() => expect(root.querySelector('[data-test=nickname]')).not.toBeNull())
    await flushPromises()
    expect(seen.map((r) => [r.path, r.code])).toEqual([
      ['/api/me', CODE],
      ['/api/me', CODE],
      ['/api/orders', undefined],
    ])
    expect(window.location.assign).not.toHaveBeenCalled()
  })

  it('a spent code: one fresh trip to WeChat, without the code', async () => {
    const seen = await listen(authServer())
    page.happyDOM.setURL(`${origin}/orders?code=SPENT${CODE.slice(5)}&state=${STATE}`)
    ;({ app } = start())
    await vi.waitFor(() => expect(window.location.assign).toHaveBeenCalledOnce())
    expect(seen.map((r) => [r.path.split('?')[0], r.code !== undefined])).toEqual([
      ['/api/me', true],
      ['/api/auth/authorize-url', false],
    ])
  })
})
