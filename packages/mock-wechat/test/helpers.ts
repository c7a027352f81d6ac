/**
 * Test harness: a real simulator on port 0 per test, closed after each test, and small helpers
 * that speak WeChat's protocol over real HTTP.
 */
import type { FastifyInstance } from 'fastify'
import { request as httpRequest } from 'node:http'
import { afterEach, expect } from 'vitest'
import { DEFAULT_APP, buildMockWechat, type MockWechatOptions } from '../src/index.js'

export const APPID = DEFAULT_APP.appid
export const SECRET = DEFAULT_APP.secret
/** An authorised callback of the default app. */
export const CALLBACK = 'http://127.0.0.1:5173/cb'
/** errmsg suffix: ` rid: ` + three groups of 8 hex digits. */
export const RID_SUFFIX = / rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/

const running: FastifyInstance[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()))
})

export interface ApiAnswer {
  status: number
  contentType: string | null
  text: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads arbitrary WeChat JSON
  body: any
}

export interface Mock {
  app: FastifyInstance
  base: string
  /** GET (or `init.method`) a path with query parameters, redirects not followed. */
  fetch(path: string, params?: Record<string, string>, init?: RequestInit): Promise<Response>
  /** A WeChat API call; the body parsed as JSON whatever the Content-Type. */
  api(path: string, params?: Record<string, string>, init?: RequestInit): Promise<ApiAnswer>
  /** POST JSON to a control endpoint (extra headers, e.g. `X-Mock-Namespace`). */
  control(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>
  /** GET a control endpoint. */
  read(path: string, headers?: Record<string, string>): Promise<ApiAnswer>
  /** DELETE a control endpoint, with query parameters. */
  remove(
    path: string,
    params?: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<ApiAnswer>
}

/** 2025-01-06 10:00 in Beijing: a frozen base clock makes every `expires_in` exact. */
export const FROZEN_NOW = Date.UTC(2025, 0, 6, 2, 0, 0)

/** Start a simulator on 127.0.0.1, port 0 (base clock frozen at {@link FROZEN_NOW} by default). */
export async function startMock(options: MockWechatOptions = {}): Promise<Mock> {
  const app = buildMockWechat({ now: () => FROZEN_NOW, ...options })
  running.push(app)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  const base = `http://127.0.0.1:${address.port}`
  const doFetch = (path: string, params?: Record<string, string>, init: RequestInit = {}) => {
    const query = params ? `?${new URLSearchParams(params).toString()}` : ''
    return fetch(`${base}${path}${query}`, { redirect: 'manual', ...init })
  }
  const answer = async (response: Response): Promise<ApiAnswer> => {
    const text = await response.text()
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      body = undefined
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      text,
      body,
    }
  }
  return {
    app,
    base,
    fetch: doFetch,
    api: async (path, params, init) => answer(await doFetch(path, params, init)),
    control: async (path, body, headers = {}) =>
      answer(
        await doFetch(path, undefined, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: body === undefined ? '' : JSON.stringify(body),
        }),
      ),
    read: async (path, headers = {}) => answer(await doFetch(path, undefined, { headers })),
    remove: async (path, params, headers = {}) =>
      answer(await doFetch(path, params, { method: 'DELETE', headers })),
  }
}

export interface AuthorizeParams {
  appid?: string
  redirect_uri?: string
  response_type?: string
  scope?: string
  state?: string
}

/**
 * An authorize link exactly as WeChat documents it: `appid, redirect_uri, response_type, scope,
 * state` in that order, redirect_uri URL-encoded, `#wechat_redirect` at the end. Keys set to
 * undefined are left out.
 */
export function authorizeUrl(base: string, params: AuthorizeParams = {}): string {
  const full: AuthorizeParams = {
    appid: APPID,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'snsapi_userinfo',
    state: 'abc123',
    ...params,
  }
  const query = (['appid', 'redirect_uri', 'response_type', 'scope', 'state'] as const)
    .filter((key) => (key in params ? params[key] !== undefined : full[key] !== undefined))
    .map((key) => `${key}=${encodeURIComponent(full[key] ?? '')}`)
    .join('&')
  return `${base}/connect/oauth2/authorize?${query}#wechat_redirect`
}

/** GET the authorize link like a script (no redirect following, no browser headers). */
export function authorize(mock: Mock, params: AuthorizeParams = {}, init: RequestInit = {}) {
  return fetch(authorizeUrl(mock.base, params), { redirect: 'manual', ...init })
}

/** The Location of a 302, parsed. */
export function location(response: Response): URL {
  expect(response.status).toBe(302)
  const value = response.headers.get('location')
  expect(value).toBeTruthy()
  return new URL(value ?? '')
}

/** A fresh code for `persona` (scripted consent), for the given scope and app. */
export async function codeFor(
  mock: Mock,
  persona: string,
  scope: 'snsapi_base' | 'snsapi_userinfo' = 'snsapi_userinfo',
  params: AuthorizeParams = {},
): Promise<string> {
  const set = await mock.control('/__mock/consent', { action: 'allow', persona })
  expect(set.status).toBe(200)
  const code = location(await authorize(mock, { scope, ...params })).searchParams.get('code')
  expect(code).toMatch(/^[A-Za-z0-9]{32}$/)
  return code ?? ''
}

/** `sns/oauth2/access_token` with the default app's credentials (overridable). */
export function exchange(mock: Mock, code: string, overrides: Record<string, string> = {}) {
  return mock.api('/sns/oauth2/access_token', {
    appid: APPID,
    secret: SECRET,
    code,
    grant_type: 'authorization_code',
    ...overrides,
  })
}

/** Web tokens for a persona, end to end. */
export async function loginAs(
  mock: Mock,
  persona: string,
  scope: 'snsapi_base' | 'snsapi_userinfo' = 'snsapi_userinfo',
) {
  const answer = await exchange(mock, await codeFor(mock, persona, scope))
  expect(answer.body.access_token).toBeTypeOf('string')
  return answer.body as {
    access_token: string
    refresh_token: string
    openid: string
    scope: string
    expires_in: number
    unionid?: string
    is_snapshotuser?: number
  }
}

/** Move the simulator's clock. */
export async function advance(mock: Mock, seconds: number): Promise<void> {
  const answer = await mock.control('/__mock/clock', { advanceSeconds: seconds })
  expect(answer.status).toBe(200)
}

/** Expect a WeChat error body: HTTP 200, the errcode, an errmsg with the rid suffix. */
export function expectErrcode(answer: ApiAnswer, errcode: number): void {
  expect(answer.status).toBe(200)
  expect(answer.body).toEqual({ errcode, errmsg: expect.stringMatching(RID_SUFFIX) })
}

/** The attributes of the page's `data-test="mock-error"` element. */
export function errorOf(html: string): { errcode: string; key: string } | undefined {
  const match = /data-test="mock-error" data-errcode="(\d*)" data-error="([a-z0-9-]+)"/.exec(html)
  return match ? { errcode: match[1] ?? '', key: match[2] ?? '' } : undefined
}

/** A GET with exactly these headers (fetch() overrides the Sec-Fetch-* ones). */
export function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url.replace(/#.*$/, ''), { headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/**
 * A user on the consent page: open `link` (an authorize URL on the simulator), pick `persona`, tap
 * 允许. Returns the callback URL WeChat sends the browser to.
 */
export async function allowOnConsentPage(link: string, persona: string): Promise<URL> {
  const page = await fetch(link, { redirect: 'manual' })
  const html = await page.text()
  expect(html).toContain('data-test="mock-consent"')
  const ticket = /name="ticket" value="([^"]+)"/.exec(html)?.[1] ?? ''
  const confirm = new URL('/connect/oauth2/authorize/confirm', link)
  const answer = await fetch(confirm, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ticket, persona, action: 'allow' }).toString(),
  })
  return location(answer)
}
