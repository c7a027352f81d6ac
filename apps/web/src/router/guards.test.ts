import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { authApp } from '../../test/support/auth.js'
import { installAuthGuard } from './guards.js'

const Page = { template: '<p>page</p>' }
const SESSION = { scope: 'snsapi_base', snapshot: false, expiresAt: '2030-01-01T00:00:00Z' }

/** The app's router with the guard, installed in an app with a real login on `fetch`. */
function setup(fetch: typeof globalThis.fetch, preload = vi.fn(async () => {})) {
  const login = authApp(fetch)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'activity', component: Page, meta: { title: '活动详情', preload } },
      { path: '/me', name: 'profile', component: Page, meta: { title: '我的' } },
    ],
  })
  installAuthGuard(router)
  login.app.use(router) // starts the first navigation, to `/`
  return { router, preload, store: login.store }
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

describe('auth guard', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/')
  })

  it('waits for the session and the route data, fetched in parallel', async () => {
    let answer!: () => void
    const fetch = vi.fn<typeof globalThis.fetch>(
      () =>
        new Promise<Response>(
          (resolve) => (answer = () => resolve(json({ user: null, session: SESSION }))),
        ),
    )
    const { router, preload, store } = setup(fetch)
    await vi.waitFor(() => expect(preload).toHaveBeenCalledTimes(1))
    expect(fetch).toHaveBeenCalledTimes(1) // both requests are in flight together
    expect(String(fetch.mock.calls[0]?.[0])).toBe('/api/me')
    expect(router.currentRoute.value.name).toBeUndefined()
    answer()
    await router.isReady()
    expect(router.currentRoute.value.name).toBe('activity')
    expect(store().status).toEqual({ kind: 'ready' })
  })

  it('fetches the lazy view of the route together with the session, not after it', async () => {
    let answer!: () => void
    const fetch = vi.fn<typeof globalThis.fetch>(
      () =>
        new Promise<Response>(
          (resolve) => (answer = () => resolve(json({ user: null, session: SESSION }))),
        ),
    )
    const view = vi.fn(async () => Page)
    const login = authApp(fetch)
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/', component: view, meta: { title: '活动详情' } }],
    })
    installAuthGuard(router)
    login.app.use(router)
    await vi.waitFor(() => expect(view).toHaveBeenCalled())
    expect(fetch).toHaveBeenCalledTimes(1) // GET /api/me still in flight
    answer()
    await router.isReady()
  })

  it('remembers the target route as the login return path', async () => {
    // the network is down: the unavailable screen, no trip to WeChat
    const { router, store } = setup(vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))))
    await router.isReady()
    await router.push('/me?tab=1')
    expect(store().returnPath).toBe('/me?tab=1')
    expect(store().status).toEqual({ kind: 'unavailable', reason: 'network' })
  })

  it('loads nothing while a screen waits for a tap', async () => {
    history.replaceState(null, '', '/?state=Zq3xY9bK2mP7vR1tW5sN8dF4gH6jL0aC') // a cancelled login
    const fetch = vi.fn()
    const { router, preload, store } = setup(fetch)
    await router.isReady()
    expect(store().status).toEqual({ kind: 'cancelled' })
    expect(fetch).not.toHaveBeenCalled()
    expect(preload).not.toHaveBeenCalled()
    expect(router.currentRoute.value.name).toBe('activity')
  })
})
