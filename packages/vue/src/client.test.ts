import { beforeEach, describe, expect, it, vi } from 'vitest'
import { CODE_HEADER, STATE_HEADER, type ErrorCode } from '@wxauth/shared'
import { errorResponse as error, json } from '../test/support/fake-window.js'
import {
  createAuthClient,
  createPendingCode,
  type AuthClientOptions,
  type PendingCodeHolder,
} from './client.js'

const CODE = '071CyW000UGidO1SxY000uNATs1CyW04'
const STATE = 'Zq3xY9bK2mP7vR1tW5sN8dF4gH6jL0aC'

/** A transport that records each request and answers from a function. */
function transport(answer: (n: number) => Response | Promise<Response>) {
  const seen: Array<{ url: string; method: string; headers: Headers; credentials?: string }> = []
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      credentials: init?.credentials,
    })
    return answer(seen.length)
  })
  return { fetch: fetch as unknown as typeof globalThis.fetch, seen, calls: fetch }
}

type OnFailure = AuthClientOptions['onFailure']

describe('the auth client', () => {
  let onFailure: ReturnType<typeof vi.fn<OnFailure>>
  let pending: PendingCodeHolder
  const client = (fetch: typeof globalThis.fetch, over: Partial<AuthClientOptions> = {}) =>
    createAuthClient({ baseURL: '/api', timeout: 15_000, fetch, pending, onFailure, ...over })

  beforeEach(() => {
    onFailure = vi.fn<OnFailure>()
    pending = createPendingCode(null)
  })

  it('calls baseURL with same-origin credentials', async () => {
    const t = transport(() => json({ ok: 1 }))
    await expect(client(t.fetch).api('/me')).resolves.toEqual({ ok: 1 })
    expect(t.seen[0]?.url).toBe('/api/me')
    expect(t.seen[0]?.credentials).toBe('same-origin')
  })

  it('sends no WeChat headers when no code is pending', async () => {
    const t = transport(() => json({}))
    await client(t.fetch).api('/me')
    expect(t.seen[0]?.headers.has(CODE_HEADER)).toBe(false)
    expect(t.seen[0]?.headers.has(STATE_HEADER)).toBe(false)
  })

  it('adds X-WeChat-Code / X-WeChat-State while a code is pending, beside the caller’s headers', async () => {
    pending = createPendingCode({ code: CODE, state: STATE })
    const t = transport(() => json({}))
    await client(t.fetch).api('/activity/join', { method: 'POST', headers: { 'x-trace': '1' } })
    expect(t.seen[0]?.headers.get(CODE_HEADER)).toBe(CODE)
    expect(t.seen[0]?.headers.get(STATE_HEADER)).toBe(STATE)
    expect(t.seen[0]?.headers.get('x-trace')).toBe('1')
  })

  it('a code without a state goes alone (the server decides)', async () => {
    pending = createPendingCode({ code: CODE })
    const t = transport(() => json({}))
    await client(t.fetch).api('/me')
    expect(t.seen[0]?.headers.get(CODE_HEADER)).toBe(CODE)
    expect(t.seen[0]?.headers.has(STATE_HEADER)).toBe(false)
  })

  it('the first 2xx drops the code: later requests go without it', async () => {
    pending = createPendingCode({ code: CODE, state: STATE })
    const t = transport(() => json({}))
    const { api } = client(t.fetch)
    await api('/me')
    await api('/activity')
    expect(pending.get()).toBeNull()
    expect(t.seen[1]?.headers.has(CODE_HEADER)).toBe(false)
  })

  it('parallel requests of the first wave all carry the same code', async () => {
    pending = createPendingCode({ code: CODE, state: STATE })
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const t = transport(async () => {
      await gate
      return json({})
    })
    const { api } = client(t.fetch)
    const wave = Promise.all([api('/me'), api('/activity'), api('/activity')])
    await vi.waitFor(() => expect(t.seen).toHaveLength(3))
    release()
    await wave
    expect(t.seen.map((r) => r.headers.get(CODE_HEADER))).toEqual([CODE, CODE, CODE])
    expect(pending.get()).toBeNull()
  })

  it('the code only goes to baseURL: not to another origin, not to a sibling path', async () => {
    pending = createPendingCode({ code: CODE, state: STATE })
    const t = transport(() => json({}))
    const { api } = client(t.fetch)
    await api('https://cdn.example/api/x')
    await api('/apix/y', { baseURL: '/' })
    expect(t.seen.map((r) => [r.url, r.headers.has(CODE_HEADER)])).toEqual([
      ['https://cdn.example/api/x', false],
      ['/apix/y', false],
    ])
    expect(pending.get()).not.toBeNull() // their success says nothing about the code
  })

  it('an absolute baseURL works the same', async () => {
    pending = createPendingCode({ code: CODE, state: STATE })
    const t = transport(() => error('AUTH_REQUIRED', 401))
    const { api } = client(t.fetch, { baseURL: 'https://bff.example/api/' })
    await expect(api('/me')).rejects.toThrow()
    expect(t.seen[0]?.url).toBe('https://bff.example/api/me')
    expect(t.seen[0]?.headers.get(CODE_HEADER)).toBe(CODE)
    expect(onFailure).toHaveBeenCalledWith(
      { type: 'login' },
      { kind: 'http', status: 401, code: 'AUTH_REQUIRED' },
    )
  })

  it('keeps the code after a failure that may be retried (WeChat unavailable)', async () => {
    pending = createPendingCode({ code: CODE, state: STATE })
    const t = transport(() => error('WECHAT_UNAVAILABLE', 503))
    await expect(client(t.fetch).api('/me')).rejects.toThrow()
    expect(pending.get()).toEqual({ code: CODE, state: STATE })
    expect(onFailure).toHaveBeenCalledWith(
      { type: 'unavailable', reason: 'wechat' },
      { kind: 'http', status: 503, code: 'WECHAT_UNAVAILABLE' },
    )
  })

  it.each([
    ['CODE_INVALID', 401],
    ['CODE_USED', 401],
    ['STATE_MISMATCH', 403],
    ['REAUTH_REQUIRED', 401],
  ] as const)('drops the code on %s and asks for a fresh login', async (code, status) => {
    pending = createPendingCode({ code: CODE, state: STATE })
    const t = transport(() => error(code, status))
    await expect(client(t.fetch).api('/me')).rejects.toThrow()
    expect(pending.get()).toBeNull()
    expect(onFailure).toHaveBeenCalledWith({ type: 'fresh-login' }, { kind: 'http', status, code })
  })

  it('reports AUTH_REQUIRED as a login, once per failed request, before the promise rejects', async () => {
    const t = transport(() => error('AUTH_REQUIRED', 401))
    const failure = await client(t.fetch)
      .api('/me')
      .catch(() => onFailure.mock.calls.length)
    expect(failure).toBe(1)
    expect(onFailure.mock.calls[0]?.[0]).toEqual({ type: 'login' })
  })

  it('the caller still gets the error body', async () => {
    const t = transport(() => error('VALIDATION_ERROR', 400))
    const caught = await client(t.fetch)
      .api('/activity/join', { method: 'POST' })
      .catch((e: { data?: { code?: ErrorCode } }) => e)
    expect(caught).toMatchObject({ data: { code: 'VALIDATION_ERROR' } })
    expect(onFailure).toHaveBeenCalledWith(
      { type: 'none' },
      { kind: 'http', status: 400, code: 'VALIDATION_ERROR' },
    )
  })

  it('a caller’s own hooks cannot switch the code handling off', async () => {
    pending = createPendingCode({ code: CODE, state: STATE })
    const onResponse = vi.fn()
    const t = transport(() => error('CODE_USED', 401))
    await expect(
      client(t.fetch).api('/me', { onResponse, onResponseError: vi.fn() }),
    ).rejects.toThrow()
    expect(t.seen[0]?.headers.get(CODE_HEADER)).toBe(CODE)
    expect(onResponse).toHaveBeenCalledOnce()
    expect(pending.get()).toBeNull()
    expect(onFailure).toHaveBeenCalledOnce()
  })

  it('never retries: not a 503, not a 502 without a contract body, not a POST', async () => {
    for (const [response, method] of [
      [() => error('WECHAT_UNAVAILABLE', 503), 'GET'],
      [() => new Response('<html>Bad gateway</html>', { status: 502 }), 'GET'],
      [() => error('INTERNAL_ERROR', 500), 'POST'],
    ] as const) {
      const t = transport(response)
      await expect(client(t.fetch).api('/activity/join', { method })).rejects.toThrow()
      expect(t.calls).toHaveBeenCalledTimes(1)
    }
    expect(onFailure.mock.calls[1]?.[1]).toEqual({ kind: 'http', status: 502, code: null })
  })

  it('a network failure is reported as such and keeps the code', async () => {
    pending = createPendingCode({ code: CODE, state: STATE })
    const t = transport(() => Promise.reject(new TypeError('Failed to fetch')))
    await expect(client(t.fetch).api('/me')).rejects.toThrow()
    expect(t.calls).toHaveBeenCalledTimes(1)
    expect(onFailure).toHaveBeenCalledWith(
      { type: 'unavailable', reason: 'network' },
      { kind: 'network' },
    )
    expect(pending.get()).not.toBeNull()
  })

  /** A transport that never answers, and honours the abort signal like a real fetch. */
  const hanging = vi.fn(
    (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
      }),
  ) as unknown as typeof globalThis.fetch

  it('a request that hangs past the timeout counts as a network failure', async () => {
    await expect(client(hanging, { timeout: 20 }).api('/me')).rejects.toThrow()
    expect(onFailure).toHaveBeenCalledWith(
      { type: 'unavailable', reason: 'network' },
      { kind: 'network' },
    )
  })

  describe('quietApi (optional extras)', () => {
    it('a failure rejects and is reported to nobody, but a spent code is still dropped', async () => {
      pending = createPendingCode({ code: CODE, state: STATE })
      const t = transport(() => error('CODE_USED', 401))
      await expect(client(t.fetch).quietApi('/me/subscription')).rejects.toThrow()
      expect(t.seen[0]?.headers.get(CODE_HEADER)).toBe(CODE)
      expect(onFailure).not.toHaveBeenCalled()
      expect(pending.get()).toBeNull()
    })

    it('a success drops the code and passes the options on', async () => {
      pending = createPendingCode({ code: CODE, state: STATE })
      const t = transport(() => json({ subscribed: true }))
      const { quietApi } = client(t.fetch)
      await expect(
        quietApi('/jssdk/config', { query: { url: 'https://h.example/' } }),
      ).resolves.toEqual({ subscribed: true })
      const url = new URL(t.seen[0]?.url ?? '', 'https://h.example')
      expect([url.pathname, url.searchParams.get('url')]).toEqual([
        '/api/jssdk/config',
        'https://h.example/',
      ])
      expect(pending.get()).toBeNull()
    })
  })
})
