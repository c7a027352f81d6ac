import { beforeEach, describe, expect, it, vi } from 'vitest'
import { CODE_HEADER, STATE_HEADER, type ErrorCode } from '@wxauth/shared'
import { clearPendingCode, getPendingCode, setPendingCode } from '../auth/pending-code.js'
import { createApiClient, type ApiFailureListener } from './client.js'

const CODE = '071CyW000UGidO1SxY000uNATs1CyW04'
const STATE = 'Zq3xY9bK2mP7vR1tW5sN8dF4gH6jL0aC'

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  })
}
function error(code: ErrorCode, statusCode: number): Response {
  return json({ statusCode, code, message: 'x' }, statusCode)
}

/** A transport that records each request and answers from a queue (or a function). */
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

describe('api client', () => {
  let onFailure: ReturnType<typeof vi.fn<ApiFailureListener>>
  beforeEach(() => {
    clearPendingCode()
    onFailure = vi.fn<ApiFailureListener>()
  })

  it('calls /api with same-origin credentials', async () => {
    const t = transport(() => json({ ok: 1 }))
    const api = createApiClient({ fetch: t.fetch, onFailure })
    await expect(api('/me')).resolves.toEqual({ ok: 1 })
    expect(t.seen[0]?.url).toBe('/api/me')
    expect(t.seen[0]?.credentials).toBe('same-origin')
  })

  it('sends no WeChat headers when no code is pending', async () => {
    const t = transport(() => json({}))
    await createApiClient({ fetch: t.fetch })('/me')
    expect(t.seen[0]?.headers.has(CODE_HEADER)).toBe(false)
    expect(t.seen[0]?.headers.has(STATE_HEADER)).toBe(false)
  })

  it('adds X-WeChat-Code / X-WeChat-State while a code is pending', async () => {
    setPendingCode({ code: CODE, state: STATE })
    const t = transport(() => json({}))
    await createApiClient({ fetch: t.fetch })('/me')
    expect(t.seen[0]?.headers.get(CODE_HEADER)).toBe(CODE)
    expect(t.seen[0]?.headers.get(STATE_HEADER)).toBe(STATE)
  })

  it('the first 2xx drops the code: later requests go without it', async () => {
    setPendingCode({ code: CODE, state: STATE })
    const t = transport(() => json({}))
    const api = createApiClient({ fetch: t.fetch })
    await api('/me')
    await api('/activity')
    expect(getPendingCode()).toBeNull()
    expect(t.seen[1]?.headers.has(CODE_HEADER)).toBe(false)
  })

  it('parallel requests of the first wave all carry the same code', async () => {
    setPendingCode({ code: CODE, state: STATE })
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const t = transport(async () => {
      await gate
      return json({})
    })
    const api = createApiClient({ fetch: t.fetch })
    const wave = Promise.all([api('/me'), api('/activity'), api('/activity')])
    await vi.waitFor(() => expect(t.seen).toHaveLength(3))
    release()
    await wave
    expect(t.seen.map((r) => r.headers.get(CODE_HEADER))).toEqual([CODE, CODE, CODE])
    expect(getPendingCode()).toBeNull()
  })

  it('keeps the code after a failure that may be retried (WeChat unavailable)', async () => {
    setPendingCode({ code: CODE, state: STATE })
    const t = transport(() => error('WECHAT_UNAVAILABLE', 503))
    await expect(createApiClient({ fetch: t.fetch, onFailure })('/me')).rejects.toThrow()
    expect(getPendingCode()).toEqual({ code: CODE, state: STATE })
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
    setPendingCode({ code: CODE, state: STATE })
    const t = transport(() => error(code, status))
    await expect(createApiClient({ fetch: t.fetch, onFailure })('/me')).rejects.toThrow()
    expect(getPendingCode()).toBeNull()
    expect(onFailure).toHaveBeenCalledWith({ type: 'fresh-login' }, { kind: 'http', status, code })
  })

  it('reports AUTH_REQUIRED as a login, once per failed request', async () => {
    const t = transport(() => error('AUTH_REQUIRED', 401))
    await expect(createApiClient({ fetch: t.fetch, onFailure })('/me')).rejects.toThrow()
    expect(onFailure).toHaveBeenCalledTimes(1)
    expect(onFailure.mock.calls[0]?.[0]).toEqual({ type: 'login' })
  })

  it('never retries: not a 503, not a 502 without a contract body, not a POST', async () => {
    for (const [response, method] of [
      [() => error('WECHAT_UNAVAILABLE', 503), 'GET'],
      [() => new Response('<html>Bad gateway</html>', { status: 502 }), 'GET'],
      [() => error('INTERNAL_ERROR', 500), 'POST'],
    ] as const) {
      const t = transport(response)
      const api = createApiClient({ fetch: t.fetch, onFailure })
      await expect(api('/activity/join', { method })).rejects.toThrow()
      expect(t.calls).toHaveBeenCalledTimes(1)
    }
    expect(onFailure.mock.calls[1]?.[1]).toEqual({ kind: 'http', status: 502, code: null })
  })

  it('a network failure is reported as such and keeps the code', async () => {
    setPendingCode({ code: CODE, state: STATE })
    const t = transport(() => Promise.reject(new TypeError('Failed to fetch')))
    await expect(createApiClient({ fetch: t.fetch, onFailure })('/me')).rejects.toThrow()
    expect(t.calls).toHaveBeenCalledTimes(1)
    expect(onFailure).toHaveBeenCalledWith(
      { type: 'unavailable', reason: 'network' },
      { kind: 'network' },
    )
    expect(getPendingCode()).not.toBeNull()
  })

  it('a request that hangs past the timeout counts as a network failure', async () => {
    // ofetch aborts through the signal it passes; the stub honours it like a real fetch would
    const hanging = vi.fn(
      (_input: RequestInfo | URL, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
        }),
    )
    const api = createApiClient({
      fetch: hanging as unknown as typeof globalThis.fetch,
      timeout: 20,
      onFailure,
    })
    await expect(api('/me')).rejects.toThrow()
    expect(onFailure).toHaveBeenCalledWith(
      { type: 'unavailable', reason: 'network' },
      { kind: 'network' },
    )
  })
})
