import { describe, expect, it, vi } from 'vitest'
import { createApp, defineComponent, h, nextTick, type App } from 'vue'
import { createPinia, defineStore, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { CODE_HEADER, STATE_HEADER, type MeResponse } from '@wxauth/shared'
import {
  DESKTOP_UA,
  WECHAT_UA,
  errorResponse,
  fakeWindow,
  json,
  type FakeWindow,
} from '../test/support/fake-window.js'
import {
  createWechatAuth,
  type WechatAuthContext,
  type WechatAuthOptions,
} from './create-wechat-auth.js'
import { useWechatAuth } from './use-wechat-auth.js'

const CODE = '071CyW000UGidO1SxY000uNATs1CyW04'
const STATE = 'Zq3xY9bK2mP7vR1tW5sN8dF4gH6jL0aC'
const ME: MeResponse = {
  user: null,
  session: { scope: 'snsapi_base', snapshot: false, expiresAt: '2030-01-01T00:00:00.000Z' },
}

/** A server that knows the one code, then the session it made; records what it was sent. */
function server() {
  const seen: Array<{ path: string; code: string | null; state: string | null }> = []
  let signedIn = false
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers)
    const path = String(input)
    seen.push({ path, code: headers.get(CODE_HEADER), state: headers.get(STATE_HEADER) })
    if (headers.get(CODE_HEADER) === CODE && headers.get(STATE_HEADER) === STATE) signedIn = true
    if (path === '/api/auth/logout') {
      signedIn = false
      return new Response(null, { status: 204 })
    }
    if (path.startsWith('/api/auth/authorize-url'))
      return json({ url: 'https://wx/authorize', state: 'S' })
    return signedIn ? json(ME) : errorResponse('AUTH_REQUIRED', 401)
  }) as unknown as typeof globalThis.fetch
  return { fetch, seen }
}

/**
 * The one component of this file (every app here mounts it): shows the status and keeps what
 * `useWechatAuth()` returned.
 */
let probed: WechatAuthContext | null = null
const Probe = defineComponent({
  setup() {
    const context = useWechatAuth()
    probed = context
    return () => h('p', context.status.value.kind)
  },
})

/** Mount {@link Probe} with `auth` in a new app. */
function mountWith(
  auth: ReturnType<typeof createWechatAuth>,
  host = document.createElement('div'),
) {
  const app = createApp(Probe)
  app.use(createPinia()).use(auth).mount(host)
  if (probed === null) throw new Error('Probe did not run')
  const context = probed
  probed = null
  return { app, context, host }
}

function create(win: FakeWindow, over: WechatAuthOptions = {}) {
  const s = server()
  return { auth: createWechatAuth({ window: win, fetch: s.fetch, ...over }), ...s }
}

describe('createWechatAuth', () => {
  it('checks its options and names every problem at once', () => {
    const win = fakeWindow('https://h.example/')
    expect(() =>
      createWechatAuth({
        window: win,
        baseURL: 'api#x',
        scope: 'snsapi_login' as 'snsapi_base',
        routerMode: 'memory' as 'hash',
        timeout: -1,
      }),
    ).toThrow(
      /bad createWechatAuth\(\) options: baseURL .*"api#x".*; scope must be snsapi_base or snsapi_userinfo .*; routerMode .*; timeout /,
    )
    expect(win.replaceState).not.toHaveBeenCalled() // nothing happened
  })

  it('reads and cleans the landing URL when created, before any router or app exists', async () => {
    const win = fakeWindow(`https://h.example/me?tab=1&code=${CODE}&state=${STATE}`)
    const { auth, seen } = create(win)
    expect(win.location.href).toBe('https://h.example/me?tab=1')
    expect(auth.entryUrl).toBe(`https://h.example/me?tab=1&code=${CODE}&state=${STATE}`)
    // the client already carries the code (code outside components may call before mount)
    await auth.api('/me')
    expect(seen[0]).toEqual({ path: '/api/me', code: CODE, state: STATE })
  })

  it('lands on the cancelled screen after a state-only callback', () => {
    const { auth } = create(fakeWindow(`https://h.example/?state=${STATE}`))
    const { context } = mountWith(auth)
    expect(context.status.value).toEqual({ kind: 'cancelled' })
    expect(context.screen.value).toBe('cancelled')
  })

  it('wechatOnly: outside WeChat the open-in-WeChat screen, inside the normal start', () => {
    const outside = create(fakeWindow('https://h.example/', { userAgent: DESKTOP_UA }), {
      wechatOnly: true,
    })
    expect(mountWith(outside.auth).context.status.value).toEqual({ kind: 'open-in-wechat' })
    const inside = create(fakeWindow('https://h.example/', { userAgent: WECHAT_UA }), {
      wechatOnly: true,
    })
    expect(mountWith(inside.auth).context.status.value).toEqual({ kind: 'idle' })
    const anywhere = create(fakeWindow('https://h.example/', { userAgent: DESKTOP_UA }))
    expect(mountWith(anywhere.auth).context.status.value).toEqual({ kind: 'idle' })
  })

  it('install needs pinia first, and one app per instance', () => {
    const { auth } = create(fakeWindow('https://h.example/'))
    expect(() => createApp(Probe).use(auth)).toThrow(/install pinia first/)
    const { app } = mountWith(auth)
    expect(() => createApp(Probe).use(createPinia()).use(auth)).toThrow(/already installed/)
    app.unmount()
    expect(() => mountWith(auth)).not.toThrow() // after unmount it may be installed again
  })

  it('useWechatAuth() outside an app with the plugin says what is missing', () => {
    expect(() => useWechatAuth()).toThrow(/app\.use\(createWechatAuth/)
    const app = createApp(Probe).use(createPinia())
    expect(() => app.runWithContext(() => useWechatAuth())).toThrow(/found no auth/)
  })

  it('gives components the user, session, status, actions and the one api', async () => {
    const win = fakeWindow(`https://h.example/?code=${CODE}&state=${STATE}`)
    const { auth, seen } = create(win)
    const { context, host } = mountWith(auth)
    expect(context.api).toBe(auth.api)
    await context.ensureLoaded()
    await nextTick()
    expect(context.session.value).toEqual(ME.session)
    expect(context.user.value).toBeNull()
    expect(host.textContent).toBe('ready')
    await context.api('/orders')
    expect(seen.map((r) => [r.path, r.code])).toEqual([
      ['/api/me', CODE],
      ['/api/orders', null],
    ])
    await context.logout()
    await nextTick()
    expect(host.textContent).toBe('signed-out')
  })

  it('a 401 from a business call starts the automatic login (the page leaves for WeChat)', async () => {
    const win = fakeWindow('https://h.example/orders?id=1')
    const { auth, seen } = create(win)
    mountWith(auth)
    await expect(auth.api('/orders')).rejects.toThrow()
    await vi.waitFor(() => expect(win.assign).toHaveBeenCalledWith('https://wx/authorize'))
    const authorize = seen.find((r) => r.path.startsWith('/api/auth/authorize-url'))
    const query = new URL(authorize?.path ?? '', 'https://h.example').searchParams
    expect([query.get('returnTo'), query.get('scope')]).toEqual(['/orders?id=1', 'snsapi_base'])
  })

  it('rechecks on a back/forward-cache restore, and stops listening on unmount', async () => {
    const win = fakeWindow('https://h.example/')
    const { auth, fetch } = create(win)
    const { app, context } = mountWith(auth)
    expect(win.listeners()).toBe(1)
    await expect(auth.api('/orders')).rejects.toThrow()
    await vi.waitFor(() => expect(context.status.value.kind).toBe('redirecting'))
    win.pageshow(false) // an ordinary load: nothing to do
    expect(context.status.value.kind).toBe('redirecting')
    win.pageshow(true)
    // the session is still missing, and the restored page was reached with back: no bounce
    await vi.waitFor(() => expect(context.status.value.kind).toBe('loop-stopped'))
    expect(win.assign).toHaveBeenCalledTimes(1)
    app.unmount()
    expect(win.listeners()).toBe(0)
    const calls = vi.mocked(fetch).mock.calls.length
    win.pageshow(true)
    expect(vi.mocked(fetch).mock.calls).toHaveLength(calls)
  })

  it('two apps on one page share nothing: code, status, store, client', async () => {
    const a = create(fakeWindow(`https://h.example/?code=${CODE}&state=${STATE}`))
    const b = create(fakeWindow('https://h.example/'))
    const first = mountWith(a.auth)
    const second = mountWith(b.auth)
    await first.context.ensureLoaded()
    await second.context.ensureLoaded()
    expect(a.seen[0]?.code).toBe(CODE)
    expect(b.seen[0]?.code).toBeNull()
    expect(first.context.status.value.kind).toBe('ready')
    expect(second.context.status.value.kind).not.toBe('ready')
    expect(a.auth.api).not.toBe(b.auth.api)
    await first.context.logout()
    expect(first.context.status.value.kind).toBe('signed-out')
    expect(second.context.status.value.kind).not.toBe('signed-out')
  })

  it('two instances in one pinia keep apart under their own store ids', async () => {
    const pinia = createPinia()
    const a = create(fakeWindow(`https://h.example/?code=${CODE}&state=${STATE}`), {
      id: 'shopAuth',
    })
    const b = create(fakeWindow('https://h.example/'), { id: 'blogAuth' })
    createApp(Probe).use(pinia).use(a.auth).mount(document.createElement('div'))
    createApp(Probe).use(pinia).use(b.auth).mount(document.createElement('div'))
    await a.auth.useStore(pinia).ensureLoaded()
    expect(a.auth.useStore(pinia).status.kind).toBe('ready')
    expect(b.auth.useStore(pinia).status.kind).toBe('idle')
    expect(Object.keys(pinia.state.value).sort()).toEqual(['blogAuth', 'shopAuth'])
  })

  it('works where inject() does: a router guard and a pinia setup store', async () => {
    const { auth, seen } = create(fakeWindow(`https://h.example/?code=${CODE}&state=${STATE}`))
    const useOrders = defineStore('orders', () => {
      const { api } = useWechatAuth()
      return { load: () => api<MeResponse>('/orders') }
    })
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/:any(.*)', component: Probe }],
    })
    router.beforeEach(async (to) => {
      const { setReturnPath, ensureLoaded } = useWechatAuth()
      setReturnPath(to.fullPath)
      await ensureLoaded()
    })
    const pinia = createPinia()
    const app: App = createApp(Probe).use(pinia).use(auth).use(router)
    app.mount(document.createElement('div'))
    await router.push('/orders?x=1')
    expect(auth.useStore(pinia).returnPath).toBe('/orders?x=1')
    setActivePinia(pinia)
    await useOrders().load()
    expect(seen.map((r) => r.path)).toEqual(['/api/me', '/api/orders'])
  })
})

describe('login intents: what the user tapped is completed when they come back', () => {
  const PROFILE_ME: MeResponse = {
    user: { id: 1, openid: 'o1', nickname: '测试用户', headimgurl: '' } as MeResponse['user'],
    session: { ...ME.session, scope: 'snsapi_userinfo' },
  }
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

  /** One page load of a tab (`storage` is the tab's sessionStorage), its server answering `me`. */
  function pageLoad(href: string, storage: Storage, me: MeResponse = PROFILE_ME) {
    const win = fakeWindow(href, { storage })
    const fetch = vi.fn(async (input: RequestInfo | URL) =>
      String(input).startsWith('/api/auth/authorize-url')
        ? json({ url: 'https://wx/authorize', state: STATE })
        : json(me),
    ) as unknown as typeof globalThis.fetch
    const { context } = mountWith(createWechatAuth({ window: win, fetch }))
    return { win, context }
  }

  /** A tab that tapped 报名 with a base session and left for WeChat's consent page. */
  async function leftForConsent(): Promise<Storage> {
    const storage = fakeWindow('https://h.example/').sessionStorage
    const page = pageLoad('https://h.example/', storage, ME)
    await page.context.ensureLoaded()
    page.context.requestProfile('join')
    expect(page.context.status.value).toEqual({ kind: 'upgrade', intent: 'join' })
    await page.context.login('snsapi_userinfo', { intent: 'join' })
    expect(page.win.assign).toHaveBeenCalledWith('https://wx/authorize')
    return storage
  }

  it('back with the code of that login and the profile: the handler runs once', async () => {
    const storage = await leftForConsent()
    const back = pageLoad(`https://h.example/?code=${CODE}&state=${STATE}`, storage)
    const join = vi.fn()
    back.context.onIntent('join', join)
    await back.context.ensureLoaded()
    await flush()
    expect(join).toHaveBeenCalledOnce()
    expect(join).toHaveBeenCalledWith({ action: 'join', returnPath: '/', at: expect.any(Number) })
    await back.context.refresh()
    await back.context.resume()
    await flush()
    expect(join).toHaveBeenCalledOnce()

    // a reload (or back) of that page has nothing to complete
    const reload = pageLoad('https://h.example/', storage)
    const again = vi.fn()
    reload.context.onIntent('join', again)
    await reload.context.ensureLoaded()
    await flush()
    expect(again).not.toHaveBeenCalled()
  })

  it('a handler registered after the session loaded (a lazy view) still gets it', async () => {
    const storage = await leftForConsent()
    const back = pageLoad(`https://h.example/?code=${CODE}&state=${STATE}`, storage)
    await back.context.ensureLoaded()
    const refresh = vi.fn()
    const join = vi.fn()
    back.context.onIntent('refresh', refresh) // another action's handler is not called
    back.context.onIntent('join', join)
    await flush()
    expect(join).toHaveBeenCalledOnce()
    expect(refresh).not.toHaveBeenCalled()
  })

  it('waits for the profile: a session without snsapi_userinfo does not complete it', async () => {
    const storage = await leftForConsent()
    const back = pageLoad(`https://h.example/?code=${CODE}&state=${STATE}`, storage, ME)
    const join = vi.fn()
    back.context.onIntent('join', join)
    await back.context.ensureLoaded()
    await flush()
    expect(join).not.toHaveBeenCalled()
  })

  it('a stopped handler is not called', async () => {
    const storage = await leftForConsent()
    const back = pageLoad(`https://h.example/?code=${CODE}&state=${STATE}`, storage)
    const join = vi.fn()
    back.context.onIntent('join', join)()
    await back.context.ensureLoaded()
    await flush()
    expect(join).not.toHaveBeenCalled()
  })

  it('a cancelled consent (拒绝) drops it: the screen says what for, nothing runs', async () => {
    const storage = await leftForConsent()
    const back = pageLoad(`https://h.example/?state=${STATE}`, storage)
    expect(back.context.status.value).toEqual({ kind: 'cancelled', intent: 'join' })
    const join = vi.fn()
    back.context.onIntent('join', join)
    await back.context.resume() // 暂不授权: the page, with the existing session
    await flush()
    expect(join).not.toHaveBeenCalled()
  })

  it('the code of another login (a stale record) completes nothing', async () => {
    const storage = await leftForConsent()
    const other = 'AnotherLoginsState0123456789abcd'
    const back = pageLoad(`https://h.example/?code=${CODE}&state=${other}`, storage)
    const join = vi.fn()
    back.context.onIntent('join', join)
    await back.context.ensureLoaded()
    await flush()
    expect(join).not.toHaveBeenCalled()
  })
})
