import { beforeEach, describe, expect, it, vi } from 'vitest'
import { authApp } from '../../test/support/auth.js'
import { fetchJssdkConfig, fetchSubscription } from './wechat.js'

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  })
}

describe('api/wechat', () => {
  let fetch: ReturnType<typeof vi.fn<typeof globalThis.fetch>>
  let login: ReturnType<typeof authApp>

  beforeEach(() => {
    fetch = vi.fn<typeof globalThis.fetch>()
    login = authApp(fetch)
  })

  it('fetchSubscription asks GET /api/me/subscription', async () => {
    fetch.mockResolvedValue(json({ subscribed: false, qrCodeUrl: 'https://x.test/qr.jpg' }))
    await expect(fetchSubscription(login.auth.quietApi)).resolves.toEqual({
      subscribed: false,
      qrCodeUrl: 'https://x.test/qr.jpg',
    })
    expect(String(fetch.mock.calls[0]?.[0])).toBe('/api/me/subscription')
  })

  it('fetchJssdkConfig sends the url to sign, encoded, as the one query parameter', async () => {
    const answer = { appId: 'wx5f3c1a9e2b7d4f60', timestamp: 1, nonceStr: 'n', signature: 's' }
    fetch.mockResolvedValue(json(answer))
    const url = 'http://127.0.0.1:5173/me?code=C0DE&state=S7&x=a b'
    await expect(fetchJssdkConfig(login.auth.quietApi, url)).resolves.toEqual(answer)
    const requested = new URL(String(fetch.mock.calls[0]?.[0]), 'http://127.0.0.1:5173')
    expect(requested.pathname).toBe('/api/jssdk/config')
    expect([...requested.searchParams]).toEqual([['url', url]])
  })

  it.each([
    ['WECHAT_CONFIG_ERROR', 500],
    ['WECHAT_UNAVAILABLE', 503],
    ['AUTH_REQUIRED', 401],
  ])(
    'a %s failure rejects, and never switches the page to a screen or a login',
    async (code, status) => {
      fetch.mockImplementation(async () => json({ statusCode: status, code, message: 'x' }, status))
      await expect(
        fetchJssdkConfig(login.auth.quietApi, 'http://127.0.0.1:5173/'),
      ).rejects.toThrow()
      await expect(fetchSubscription(login.auth.quietApi)).rejects.toThrow()
      await new Promise((resolve) => setTimeout(resolve, 0))
      expect(login.store().status).toEqual({ kind: 'idle' })
      expect(fetch).toHaveBeenCalledTimes(2) // no authorize-url request either
    },
  )
})
