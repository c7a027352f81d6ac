import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { MeResponse, WechatUser } from '@wxauth/shared'
import type { ApiFailureListener } from '../api/client.js'
import { getAuthorizeUrl, logout } from '../api/auth.js'
import { setApiFailureListener } from '../api/client.js'
import { fetchMe, refreshMe } from '../api/me.js'
import { leavePage } from '../auth/leave-page.js'
import { TRIPS_KEY, loopGuard } from '../auth/loop-guard.js'
import { getPendingCode, setPendingCode } from '../auth/pending-code.js'
import { useAuthStore } from './auth.js'

vi.mock('../api/auth.js', () => ({ getAuthorizeUrl: vi.fn(), logout: vi.fn() }))
vi.mock('../api/me.js', () => ({ fetchMe: vi.fn(), refreshMe: vi.fn() }))
vi.mock('../api/client.js', () => ({ setApiFailureListener: vi.fn() }))
vi.mock('../auth/leave-page.js', () => ({ leavePage: vi.fn() }))

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

/** The listener the store registered with the API client. */
function failureListener(): ApiFailureListener {
  const calls = vi.mocked(setApiFailureListener).mock.calls
  const listener = calls[calls.length - 1]?.[0]
  if (!listener) throw new Error('the store registered no failure listener')
  return listener
}
const http = (code: 'AUTH_REQUIRED', status = 401) => ({ kind: 'http', status, code }) as const
const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('useAuthStore', () => {
  beforeEach(() => {
    vi.clearAllMocks()
    loopGuard.reset() // the guard is a module singleton: no trip or back/forward mark leaks in
    setPendingCode(null)
    setActivePinia(createPinia())
    vi.mocked(getAuthorizeUrl).mockResolvedValue({ url: AUTHORIZE_URL, state: 'S' })
  })

  describe('ensureLoaded', () => {
    it('loads /api/me once and caches it', async () => {
      vi.mocked(fetchMe).mockResolvedValue(me())
      const auth = useAuthStore()
      await Promise.all([auth.ensureLoaded(), auth.ensureLoaded()])
      await auth.ensureLoaded()
      expect(fetchMe).toHaveBeenCalledTimes(1)
      expect(auth.user?.nickname).toBe('测试用户')
      expect(auth.status).toBe('ready')
    })

    it('a base session without a profile is ready with user null', async () => {
      vi.mocked(fetchMe).mockResolvedValue(me({ scope: 'snsapi_base' }, null))
      const auth = useAuthStore()
      await auth.ensureLoaded()
      expect(auth.user).toBeNull()
      expect(auth.session?.scope).toBe('snsapi_base')
      expect(auth.status).toBe('ready')
    })

    it('a snapshot session is read-only', async () => {
      vi.mocked(fetchMe).mockResolvedValue(me({ snapshot: true, scope: 'snsapi_base' }, null))
      const auth = useAuthStore()
      await auth.ensureLoaded()
      expect(auth.status).toBe('snapshot')
      expect(auth.readOnly).toBe(true)
    })

    it('never throws, and loads again after a failure', async () => {
      vi.mocked(fetchMe).mockRejectedValueOnce(new Error('boom')).mockResolvedValueOnce(me())
      const auth = useAuthStore()
      await expect(auth.ensureLoaded()).resolves.toBeUndefined()
      expect(auth.status).toBe('unavailable')
      await auth.resume()
      expect(fetchMe).toHaveBeenCalledTimes(2)
      expect(auth.status).toBe('ready')
    })

    it('loads nothing while a screen waits for a tap', async () => {
      const auth = useAuthStore()
      auth.start({ cancelled: true, outsideWechat: false })
      await auth.ensureLoaded()
      expect(fetchMe).not.toHaveBeenCalled()
    })
  })

  describe('start', () => {
    it('a cancelled landing shows the cancelled screen', () => {
      const auth = useAuthStore()
      auth.start({ cancelled: true, outsideWechat: false })
      expect(auth.status).toBe('cancelled')
      expect(auth.screen).toBe('cancelled')
    })

    it('outside WeChat (production) shows open-in-wechat and never logs in', async () => {
      const auth = useAuthStore()
      auth.start({ cancelled: false, outsideWechat: true })
      expect(auth.status).toBe('open-in-wechat')
      failureListener()({ type: 'login' }, { kind: 'http', status: 401, code: 'AUTH_REQUIRED' })
      await flush()
      expect(getAuthorizeUrl).not.toHaveBeenCalled()
    })
  })

  describe('startLogin', () => {
    it('asks the BFF for an authorize URL for the current route and goes there', async () => {
      const auth = useAuthStore()
      auth.setReturnPath('/me?tab=1')
      await auth.startLogin()
      expect(getAuthorizeUrl).toHaveBeenCalledWith({ returnTo: '/me?tab=1', scope: 'snsapi_base' })
      expect(leavePage).toHaveBeenCalledWith(AUTHORIZE_URL)
      expect(auth.status).toBe('redirecting')
    })

    it('drops a pending code before leaving', async () => {
      setPendingCode({ code: 'C', state: 'S' })
      await useAuthStore().startLogin()
      expect(getPendingCode()).toBeNull()
    })

    it('a third automatic trip within a minute stops at the loop-stopped screen', async () => {
      for (let i = 0; i < 2; i++) {
        setActivePinia(createPinia()) // every trip is a new page load
        await useAuthStore().startLogin()
      }
      setActivePinia(createPinia())
      const auth = useAuthStore()
      await auth.startLogin()
      expect(leavePage).toHaveBeenCalledTimes(2)
      expect(auth.status).toBe('loop-stopped')
      expect(auth.screen).toBe('loop-stopped')
    })

    it('a manual tap always goes and resets the guard', async () => {
      sessionStorage.setItem(TRIPS_KEY, JSON.stringify([Date.now(), Date.now()]))
      const auth = useAuthStore()
      await auth.startLogin('snsapi_userinfo', { manual: true })
      expect(getAuthorizeUrl).toHaveBeenCalledWith({ returnTo: '/', scope: 'snsapi_userinfo' })
      expect(leavePage).toHaveBeenCalledTimes(1)
      expect(JSON.parse(sessionStorage.getItem(TRIPS_KEY) ?? '[]')).toHaveLength(1)
    })

    it('is idempotent while redirecting (parallel 401s make one trip)', async () => {
      const auth = useAuthStore()
      await Promise.all([auth.startLogin(), auth.startLogin(), auth.startLogin()])
      expect(getAuthorizeUrl).toHaveBeenCalledTimes(1)
    })

    it('after a cancel, an automatic login shows the cancelled screen instead', async () => {
      const auth = useAuthStore()
      auth.start({ cancelled: true, outsideWechat: false })
      vi.mocked(fetchMe).mockRejectedValue(new Error('401'))
      const loading = auth.resume()
      failureListener()({ type: 'login' }, { kind: 'http', status: 401, code: 'AUTH_REQUIRED' })
      await loading
      expect(getAuthorizeUrl).not.toHaveBeenCalled()
      expect(auth.status).toBe('cancelled')
    })

    it('shows the unavailable screen when the authorize URL cannot be had', async () => {
      vi.mocked(getAuthorizeUrl).mockRejectedValue(new Error('500'))
      const auth = useAuthStore()
      await auth.startLogin()
      expect(leavePage).not.toHaveBeenCalled()
      expect(auth.status).toBe('unavailable')
    })
  })

  describe('API failures', () => {
    it('AUTH_REQUIRED and a bad code start an automatic login', async () => {
      for (const type of ['login', 'fresh-login'] as const) {
        vi.mocked(getAuthorizeUrl).mockClear()
        setActivePinia(createPinia())
        sessionStorage.clear()
        const auth = useAuthStore()
        failureListener()({ type }, http('AUTH_REQUIRED'))
        await flush()
        expect(getAuthorizeUrl).toHaveBeenCalledTimes(1)
        expect(auth.status).toBe('redirecting')
      }
    })

    it('maps unavailable, snapshot and upgrade to their screens', () => {
      const auth = useAuthStore()
      failureListener()({ type: 'unavailable', reason: 'network' }, { kind: 'network' })
      expect(auth.status).toBe('unavailable')
      expect(auth.unavailableReason).toBe('network')
      failureListener()({ type: 'upgrade' }, http('AUTH_REQUIRED', 403))
      expect(auth.status).toBe('upgrade')
      failureListener()({ type: 'snapshot' }, http('AUTH_REQUIRED', 403))
      expect(auth.status).toBe('snapshot')
      expect(auth.readOnly).toBe(true)
    })

    it('a screen waiting for a tap is not replaced by a later failure', () => {
      const auth = useAuthStore()
      auth.start({ cancelled: true, outsideWechat: false })
      failureListener()({ type: 'unavailable', reason: 'wechat' }, { kind: 'network' })
      expect(auth.status).toBe('cancelled')
    })
  })

  describe('profile and session actions', () => {
    it('refreshProfile replaces the user', async () => {
      vi.mocked(fetchMe).mockResolvedValue(me())
      vi.mocked(refreshMe).mockResolvedValue({ user: { ...user, nickname: '新昵称' } })
      const auth = useAuthStore()
      await auth.ensureLoaded()
      await auth.refreshProfile()
      expect(auth.user?.nickname).toBe('新昵称')
      expect(auth.refreshing).toBe(false)
    })

    it('refreshProfile keeps the user when the BFF refuses', async () => {
      vi.mocked(fetchMe).mockResolvedValue(me())
      vi.mocked(refreshMe).mockRejectedValue(new Error('403'))
      const auth = useAuthStore()
      await auth.ensureLoaded()
      await auth.refreshProfile()
      expect(auth.user?.nickname).toBe('测试用户')
    })

    it('logout clears the session and waits for a tap (no silent re-login)', async () => {
      vi.mocked(fetchMe).mockResolvedValue(me())
      vi.mocked(logout).mockResolvedValue(undefined)
      const auth = useAuthStore()
      await auth.ensureLoaded()
      await auth.logout()
      expect(auth.user).toBeNull()
      expect(auth.session).toBeNull()
      expect(auth.status).toBe('signed-out')
      failureListener()({ type: 'login' }, http('AUTH_REQUIRED'))
      await flush()
      expect(getAuthorizeUrl).not.toHaveBeenCalled()
      await auth.startLogin(undefined, { manual: true })
      expect(leavePage).toHaveBeenCalledTimes(1)
    })

    it('a failed logout keeps the session', async () => {
      vi.mocked(fetchMe).mockResolvedValue(me())
      vi.mocked(logout).mockRejectedValue(new Error('network'))
      const auth = useAuthStore()
      await auth.ensureLoaded()
      await auth.logout()
      expect(auth.session).not.toBeNull()
    })

    it('resume leaves the upgrade screen for the page', async () => {
      vi.mocked(fetchMe).mockResolvedValue(me({ scope: 'snsapi_base' }, null))
      const auth = useAuthStore()
      await auth.ensureLoaded()
      failureListener()({ type: 'upgrade' }, http('AUTH_REQUIRED', 403))
      await auth.resume()
      expect(auth.status).toBe('ready')
      expect(fetchMe).toHaveBeenCalledTimes(1)
    })
  })

  describe('revalidate (restored from the back/forward cache)', () => {
    it('rechecks the session instead of bouncing, and stops when it is gone', async () => {
      const auth = useAuthStore()
      await auth.startLogin()
      vi.mocked(fetchMe).mockImplementation(async () => {
        failureListener()({ type: 'login' }, http('AUTH_REQUIRED'))
        throw new Error('401')
      })
      await auth.revalidate()
      expect(getAuthorizeUrl).toHaveBeenCalledTimes(1)
      expect(auth.status).toBe('loop-stopped')
    })

    it('lands on the page when the session now exists', async () => {
      const auth = useAuthStore()
      await auth.startLogin()
      vi.mocked(fetchMe).mockResolvedValue(me())
      await auth.revalidate()
      expect(auth.status).toBe('ready')
    })
  })
})
