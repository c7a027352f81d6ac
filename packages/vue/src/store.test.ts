import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { AuthorizeUrlQuery, MeResponse, WechatUser } from '@wxauth/shared'
import { fakeWindow, memoryStorage, type FakeWindow } from '../test/support/fake-window.js'
import { createPendingCode, type PendingCodeHolder, type WechatAuthApi } from './client.js'
import { createIntentStore } from './intent.js'
import { TRIPS_KEY, createLoopGuard } from './loop-guard.js'
import type { RouterMode } from './return-to.js'
import type { AuthStatus } from './status.js'
import { defineAuthStore } from './store.js'

const AUTHORIZE_URL =
  'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx5f3c1a9e2b7d4f60&redirect_uri=x&response_type=code&scope=snsapi_base&state=S#wechat_redirect'

const user: WechatUser = {
  id: 1,
  openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
  nickname: '测试用户',
  headimgurl: 'https://thirdwx.qlogo.cn/mmopen/vi_32/abc/132',
  sex: 0,
  province: '',
  city: '',
  country: '',
  privilege: [],
  createdAt: '2025-01-01T00:00:00.000Z',
}
const me = (
  over: Partial<MeResponse['session']> = {},
  u: WechatUser | null = user,
): MeResponse => ({
  user: u,
  session: {
    scope: 'snsapi_userinfo',
    snapshot: false,
    expiresAt: '2030-01-01T00:00:00.000Z',
    ...over,
  },
})
const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

/** The server behind the store's `api`, one spy per endpoint. */
const server = {
  me: vi.fn<() => Promise<MeResponse>>(),
  authorizeUrl: vi.fn<(query: AuthorizeUrlQuery) => Promise<{ url: string; state: string }>>(),
  refresh: vi.fn<() => Promise<{ user: WechatUser }>>(),
  logout: vi.fn<() => Promise<void>>(),
}
const api = vi.fn(async (url: string, options?: { query?: AuthorizeUrlQuery }) => {
  switch (url) {
    case '/me':
      return server.me()
    case '/auth/authorize-url':
      return server.authorizeUrl(options?.query as AuthorizeUrlQuery)
    case '/me/refresh':
      return server.refresh()
    case '/auth/logout':
      return server.logout()
    default:
      throw new Error(`unexpected ${url}`)
  }
}) as unknown as WechatAuthApi

let storage: Storage
let win: FakeWindow
let pending: PendingCodeHolder

/** A store as one page load makes it (the loop guard's storage outlives the page). */
function pageLoad(
  options: {
    status?: AuthStatus
    navigationType?: string
    mode?: RouterMode
    href?: string
    /** The state of a cancelled login this page landed with (`?state=` alone). */
    cancelledState?: string
  } = {},
) {
  win = fakeWindow(options.href ?? 'https://h.example/', { storage })
  setActivePinia(createPinia())
  const useStore = defineAuthStore('wechatAuth', {
    api,
    pending,
    guard: createLoopGuard({ storage, navigationType: () => options.navigationType }),
    scope: 'snsapi_base',
    routerMode: options.mode ?? 'history',
    routerBase: '/',
    window: win,
    initialStatus: options.status ?? { kind: 'idle' },
    // as createWechatAuth() does: read the intent with the landing (the pending code's state)
    intents: createIntentStore(storage, 'wechatAuth', {
      pending: pending.get(),
      cancelled: options.cancelledState !== undefined,
      state: pending.get()?.state ?? options.cancelledState ?? null,
    }),
  })
  return useStore()
}

describe('the auth store', () => {
  beforeEach(() => {
    vi.clearAllMocks()
    storage = memoryStorage()
    pending = createPendingCode(null)
    server.authorizeUrl.mockResolvedValue({ url: AUTHORIZE_URL, state: 'S' })
  })

  describe('ensureLoaded', () => {
    it('loads /me once and caches it', async () => {
      server.me.mockResolvedValue(me())
      const auth = pageLoad()
      await Promise.all([auth.ensureLoaded(), auth.ensureLoaded()])
      await auth.ensureLoaded()
      expect(server.me).toHaveBeenCalledTimes(1)
      expect(auth.user?.nickname).toBe('测试用户')
      expect(auth.status).toEqual({ kind: 'ready' })
    })

    it('a base session without a profile is ready with user null', async () => {
      server.me.mockResolvedValue(me({ scope: 'snsapi_base' }, null))
      const auth = pageLoad()
      await auth.ensureLoaded()
      expect(auth.user).toBeNull()
      expect(auth.session?.scope).toBe('snsapi_base')
      expect(auth.status.kind).toBe('ready')
    })

    it('a snapshot session is read-only', async () => {
      server.me.mockResolvedValue(me({ snapshot: true, scope: 'snsapi_base' }, null))
      const auth = pageLoad()
      await auth.ensureLoaded()
      expect(auth.status.kind).toBe('snapshot')
      expect(auth.readOnly).toBe(true)
    })

    it('never throws, and loads again after a failure', async () => {
      server.me.mockRejectedValueOnce(new Error('boom')).mockResolvedValueOnce(me())
      const auth = pageLoad()
      await expect(auth.ensureLoaded()).resolves.toBeUndefined()
      expect(auth.status).toEqual({ kind: 'unavailable', reason: 'server' })
      expect(auth.screen).toBe('unavailable')
      await auth.resume()
      expect(server.me).toHaveBeenCalledTimes(2)
      expect(auth.status.kind).toBe('ready')
    })

    it('loads nothing while a screen waits for a tap', async () => {
      const auth = pageLoad({ status: { kind: 'cancelled' } })
      await auth.ensureLoaded()
      expect(auth.waitsForTap).toBe(true)
      expect(server.me).not.toHaveBeenCalled()
    })
  })

  describe('automatic login', () => {
    it('asks for an authorize URL for the route the guard said, and leaves for it', async () => {
      const auth = pageLoad()
      auth.setReturnPath('/me?tab=1')
      auth.handleFailure({ type: 'login' })
      await flush()
      expect(server.authorizeUrl).toHaveBeenCalledWith({
        returnTo: '/me?tab=1',
        scope: 'snsapi_base',
      })
      expect(win.assign).toHaveBeenCalledWith(AUTHORIZE_URL)
      expect(auth.status).toEqual({ kind: 'redirecting', scope: 'snsapi_base' })
    })

    it('without a router guard, comes back to the current page (hash mode: ?r=)', async () => {
      pageLoad({ href: 'https://h.example/shop/item?id=7' }).handleFailure({ type: 'login' })
      await flush()
      expect(server.authorizeUrl).toHaveBeenLastCalledWith({
        returnTo: '/shop/item?id=7',
        scope: 'snsapi_base',
      })
      storage.clear()
      pageLoad({ href: 'https://h.example/?from=x#/me', mode: 'hash' }).handleFailure({
        type: 'fresh-login',
      })
      await flush()
      expect(server.authorizeUrl).toHaveBeenLastCalledWith({
        returnTo: '/?from=x&r=%2Fme',
        scope: 'snsapi_base',
      })
    })

    it('drops a pending code before leaving', async () => {
      pending = createPendingCode({ code: 'C', state: 'S' })
      pageLoad().handleFailure({ type: 'login' })
      await flush()
      expect(pending.get()).toBeNull()
    })

    it('a third automatic trip within a minute stops at the loop-stopped screen', async () => {
      for (let i = 0; i < 2; i++) {
        pageLoad().handleFailure({ type: 'login' }) // every trip is a new page load
        await flush()
      }
      const auth = pageLoad()
      auth.handleFailure({ type: 'login' })
      await flush()
      expect(server.authorizeUrl).toHaveBeenCalledTimes(2)
      expect(auth.status).toEqual({ kind: 'loop-stopped', reason: 'too-many-trips' })
      expect(auth.screen).toBe('loop-stopped')
    })

    it('a page reached with back/forward never leaves by itself', async () => {
      const auth = pageLoad({ navigationType: 'back_forward' })
      auth.handleFailure({ type: 'login' })
      await flush()
      expect(server.authorizeUrl).not.toHaveBeenCalled()
      expect(auth.status).toEqual({ kind: 'loop-stopped', reason: 'back-forward' })
    })

    it('is one trip while redirecting (parallel 401s)', async () => {
      const auth = pageLoad()
      for (let i = 0; i < 3; i++) auth.handleFailure({ type: 'login' })
      await flush()
      expect(server.authorizeUrl).toHaveBeenCalledTimes(1)
    })

    it('WeChat failed one request carrying the code, a parallel one came back CODE_USED: the unavailable screen stays', async () => {
      const auth = pageLoad()
      auth.handleFailure({ type: 'unavailable', reason: 'wechat' })
      auth.handleFailure({ type: 'fresh-login' })
      await flush()
      expect(server.authorizeUrl).not.toHaveBeenCalled()
      expect(win.assign).not.toHaveBeenCalled()
      expect(auth.screen).toBe('unavailable')
    })

    it('after a cancel, an automatic login shows the cancelled screen instead', async () => {
      const auth = pageLoad({ status: { kind: 'cancelled' } })
      server.me.mockImplementation(async () => {
        auth.handleFailure({ type: 'login' })
        throw new Error('401')
      })
      await auth.resume()
      expect(server.authorizeUrl).not.toHaveBeenCalled()
      expect(auth.status).toEqual({ kind: 'cancelled' })
    })

    it('shows the unavailable screen when the authorize URL cannot be had', async () => {
      server.authorizeUrl.mockRejectedValue(new Error('500'))
      const auth = pageLoad()
      auth.handleFailure({ type: 'login' })
      await flush()
      expect(win.assign).not.toHaveBeenCalled()
      expect(auth.status).toEqual({ kind: 'unavailable', reason: 'server' })
    })

    it('outside WeChat (wechatOnly) never logs in', async () => {
      const auth = pageLoad({ status: { kind: 'open-in-wechat' } })
      auth.handleFailure({ type: 'login' })
      await flush()
      expect(server.authorizeUrl).not.toHaveBeenCalled()
      expect(auth.screen).toBe('open-in-wechat')
    })
  })

  describe('login (a tap)', () => {
    it('always goes, with its scope, and resets the guard', async () => {
      storage.setItem(TRIPS_KEY, JSON.stringify([Date.now(), Date.now()]))
      const auth = pageLoad({ navigationType: 'back_forward' })
      await auth.login('snsapi_userinfo')
      expect(server.authorizeUrl).toHaveBeenCalledWith({ returnTo: '/', scope: 'snsapi_userinfo' })
      expect(win.assign).toHaveBeenCalledTimes(1)
      expect(JSON.parse(storage.getItem(TRIPS_KEY) ?? '[]')).toHaveLength(1)
    })

    it('uses the automatic scope by default', async () => {
      await pageLoad({ status: { kind: 'signed-out' } }).login()
      expect(server.authorizeUrl).toHaveBeenCalledWith({ returnTo: '/', scope: 'snsapi_base' })
    })
  })

  describe('API failures', () => {
    it('maps unavailable, snapshot and upgrade to their screens', () => {
      const auth = pageLoad()
      auth.handleFailure({ type: 'unavailable', reason: 'network' })
      expect(auth.status).toEqual({ kind: 'unavailable', reason: 'network' })
      auth.handleFailure({ type: 'upgrade' })
      expect(auth.screen).toBe('upgrade')
      auth.handleFailure({ type: 'snapshot' })
      expect(auth.status.kind).toBe('snapshot')
      expect(auth.readOnly).toBe(true)
    })

    it('a screen waiting for a tap is not replaced by a later failure', () => {
      const auth = pageLoad({ status: { kind: 'cancelled' } })
      auth.handleFailure({ type: 'unavailable', reason: 'wechat' })
      expect(auth.status).toEqual({ kind: 'cancelled' })
    })
  })

  describe('profile and session actions', () => {
    it('refresh replaces the user, and says it is running meanwhile', async () => {
      server.me.mockResolvedValue(me())
      let answer!: () => void
      server.refresh.mockReturnValue(
        new Promise(
          (resolve) => (answer = () => resolve({ user: { ...user, nickname: '新昵称' } })),
        ),
      )
      const auth = pageLoad()
      await auth.ensureLoaded()
      const refreshing = auth.refresh()
      expect(auth.refreshing).toBe(true)
      void auth.refresh() // a second tap meanwhile sends nothing
      answer()
      await expect(refreshing).resolves.toBe(true)
      expect(server.refresh).toHaveBeenCalledTimes(1)
      expect(auth.user?.nickname).toBe('新昵称')
      expect(auth.refreshing).toBe(false)
      expect(auth.status.kind).toBe('ready')
    })

    it('refresh keeps the user when the server refuses', async () => {
      server.me.mockResolvedValue(me())
      server.refresh.mockRejectedValue(new Error('403'))
      const auth = pageLoad()
      await auth.ensureLoaded()
      await expect(auth.refresh()).resolves.toBe(false)
      expect(auth.user?.nickname).toBe('测试用户')
      expect(auth.refreshing).toBe(false)
    })

    it('refresh without the profile scope asks for it, for the intent "refresh"', async () => {
      server.me.mockResolvedValue(me({ scope: 'snsapi_base' }))
      const auth = pageLoad()
      await auth.ensureLoaded()
      server.refresh.mockImplementation(async () => {
        auth.handleFailure({ type: 'upgrade' }) // what the client does with 403 SCOPE_UPGRADE_REQUIRED
        throw new Error('403')
      })
      await expect(auth.refresh()).resolves.toBe(false)
      expect(auth.status).toEqual({ kind: 'upgrade', intent: 'refresh' })
      expect(auth.user?.nickname).toBe('测试用户')
    })

    it('login with an intent stores it bound to the authorize URL’s state', async () => {
      server.me.mockResolvedValue(me({ scope: 'snsapi_base' }, null))
      const auth = pageLoad()
      await auth.ensureLoaded()
      auth.setReturnPath('/?from=share')
      await auth.login('snsapi_userinfo', { intent: 'join' })
      expect(JSON.parse(storage.getItem('wxauth:intent:wechatAuth') ?? 'null')).toEqual({
        action: 'join',
        returnPath: '/?from=share',
        at: expect.any(Number),
        state: 'S',
      })
      await pageLoad().login('snsapi_userinfo') // no intent: nothing stored
      expect(storage.getItem('wxauth:intent:wechatAuth')).toBeNull()
    })

    it('logout clears the session and waits for a tap (no silent re-login)', async () => {
      server.me.mockResolvedValue(me())
      server.logout.mockResolvedValue(undefined)
      pending = createPendingCode({ code: 'C', state: 'S' })
      const auth = pageLoad()
      await auth.ensureLoaded()
      await auth.logout()
      expect(auth.user).toBeNull()
      expect(auth.session).toBeNull()
      expect(auth.status).toEqual({ kind: 'signed-out' })
      expect(pending.get()).toBeNull()
      auth.handleFailure({ type: 'login' })
      await flush()
      expect(server.authorizeUrl).not.toHaveBeenCalled()
      await auth.login()
      expect(win.assign).toHaveBeenCalledTimes(1)
    })

    it('a failed logout keeps the session', async () => {
      server.me.mockResolvedValue(me())
      server.logout.mockRejectedValue(new Error('network'))
      const auth = pageLoad()
      await auth.ensureLoaded()
      await auth.logout()
      expect(auth.session).not.toBeNull()
    })

    it('resume leaves the upgrade screen for the page without reloading', async () => {
      server.me.mockResolvedValue(me({ scope: 'snsapi_base' }, null))
      const auth = pageLoad()
      await auth.ensureLoaded()
      auth.handleFailure({ type: 'upgrade' })
      await auth.resume()
      expect(auth.status.kind).toBe('ready')
      expect(server.me).toHaveBeenCalledTimes(1)
    })
  })

  describe('revalidate (restored from the back/forward cache)', () => {
    it('rechecks the session instead of bouncing, and stops when it is gone', async () => {
      const auth = pageLoad()
      auth.handleFailure({ type: 'login' })
      await flush()
      server.me.mockImplementation(async () => {
        auth.handleFailure({ type: 'login' })
        throw new Error('401')
      })
      await auth.revalidate()
      expect(server.authorizeUrl).toHaveBeenCalledTimes(1)
      expect(auth.status).toEqual({ kind: 'loop-stopped', reason: 'back-forward' })
    })

    it('lands on the page when the session now exists', async () => {
      const auth = pageLoad()
      auth.handleFailure({ type: 'login' })
      await flush()
      server.me.mockResolvedValue(me())
      await auth.revalidate()
      expect(auth.status.kind).toBe('ready')
    })

    it('leaves a settled page alone (and still marks the guard)', async () => {
      server.me.mockResolvedValue(me())
      const auth = pageLoad()
      await auth.ensureLoaded()
      await auth.revalidate()
      expect(server.me).toHaveBeenCalledTimes(1)
      expect(auth.status.kind).toBe('ready')
    })
  })
})
