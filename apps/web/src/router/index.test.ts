import { beforeEach, describe, expect, it, vi } from 'vitest'
import { authApp } from '../../test/support/auth.js'
import { createAppRouter, routes } from './index.js'

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } })

describe('the app router', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/')
    document.title = 'index.html'
  })

  it('gives every page route its own title', () => {
    const titles = routes.filter((r) => r.name).map((r) => r.meta?.title)
    expect(titles).toEqual(['活动详情', '我的'])
  })

  it('sets document.title (WeChat’s title bar) on every navigation', async () => {
    const fetch = vi.fn(async (input: RequestInfo | URL) =>
      String(input) === '/api/me'
        ? json({
            user: null,
            session: { scope: 'snsapi_base', snapshot: false, expiresAt: '2030-01-01T00:00:00Z' },
          })
        : json({ id: 1, title: 'x', participants: [] }),
    ) as unknown as typeof globalThis.fetch
    const { app } = authApp(fetch)
    const router = createAppRouter()
    app.use(router)
    await router.isReady()
    expect(document.title).toBe('活动详情')
    await router.push('/me')
    expect(document.title).toBe('我的')
    await router.push('/nowhere')
    expect(document.title).toBe('活动详情') // redirected to the activity
  })
})
