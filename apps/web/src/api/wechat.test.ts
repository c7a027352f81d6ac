import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setApiFailureListener, type ApiFailureListener } from './client.js'
import { fetchJssdkConfig, fetchSubscription } from './wechat.js'

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  })
}

describe('api/wechat', () => {
  const listener = vi.fn<ApiFailureListener>()
  let fetchMock: ReturnType<typeof vi.fn>

  beforeEach(() => {
    listener.mockClear()
    setApiFailureListener(listener)
    fetchMock = vi.fn()
    vi.stubGlobal('fetch', fetchMock)
  })
  afterEach(() => {
    setApiFailureListener(null)
    vi.unstubAllGlobals()
  })

  it('fetchSubscription asks GET /api/me/subscription', async () => {
    fetchMock.mockResolvedValue(json({ subscribed: false, qrCodeUrl: 'https://x.test/qr.jpg' }))
    await expect(fetchSubscription()).resolves.toEqual({
      subscribed: false,
      qrCodeUrl: 'https://x.test/qr.jpg',
    })
    expect(String(fetchMock.mock.calls[0]?.[0])).toBe('/api/me/subscription')
  })

  it('fetchJssdkConfig sends the url to sign, encoded, as the one query parameter', async () => {
    const answer = { appId: 'wx5f3c1a9e2b7d4f60', timestamp: 1, nonceStr: 'n', signature: 's' }
    fetchMock.mockResolvedValue(json(answer))
    const url = 'http://127.0.0.1:5173/me?code=C0DE&state=S7&x=a b'
    await expect(fetchJssdkConfig(url)).resolves.toEqual(answer)
    const requested = new URL(String(fetchMock.mock.calls[0]?.[0]), 'http://127.0.0.1:5173')
    expect(requested.pathname).toBe('/api/jssdk/config')
    expect([...requested.searchParams]).toEqual([['url', url]])
  })

  it.each([
    ['WECHAT_CONFIG_ERROR', 500],
    ['WECHAT_UNAVAILABLE', 503],
    ['AUTH_REQUIRED', 401],
  ])(
    'a %s failure rejects, and never reaches the page-wide failure listener',
    async (code, status) => {
      fetchMock.mockResolvedValue(json({ statusCode: status, code, message: 'x' }, status))
      await expect(fetchJssdkConfig('http://127.0.0.1:5173/')).rejects.toThrow()
      await expect(fetchSubscription()).rejects.toThrow()
      expect(listener).not.toHaveBeenCalled()
    },
  )
})
