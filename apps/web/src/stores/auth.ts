/**
 * Who is signed in, and what the SPA is doing about it. Components read this store and call its
 * actions; only the store (through api/) talks to the BFF. Never holds a WeChat token: the BFF keeps
 * them, the browser only has an httpOnly session cookie.
 */
import { computed, ref } from 'vue'
import { defineStore } from 'pinia'
import type { MeResponse, Scope, SessionInfo, WechatUser } from '@wxauth/shared'
import { getAuthorizeUrl, logout as apiLogout } from '../api/auth.js'
import { setApiFailureListener } from '../api/client.js'
import { fetchMe, refreshMe } from '../api/me.js'
import type { AuthAction, UnavailableReason } from '../auth/error-actions.js'
import { leavePage } from '../auth/leave-page.js'
import { loopGuard } from '../auth/loop-guard.js'
import { clearPendingCode } from '../auth/pending-code.js'
import { buildReturnTo } from '../auth/return-to.js'
import { BASE_URL, LOGIN_SCOPE, ROUTER_MODE } from '../config.js'

export type AuthStatus =
  | 'idle'
  | 'loading'
  | 'ready'
  | 'redirecting'
  | 'cancelled'
  | 'snapshot'
  | 'upgrade'
  | 'unavailable'
  | 'loop-stopped'
  | 'open-in-wechat'
  | 'signed-out'

/** Statuses shown as a full screen instead of the page. */
export const SCREEN_STATUSES: ReadonlySet<AuthStatus> = new Set<AuthStatus>([
  'cancelled',
  'upgrade',
  'unavailable',
  'loop-stopped',
  'open-in-wechat',
  'signed-out',
])

/** Statuses that wait for a tap: no automatic login, no loading behind the user's back. */
export const MANUAL_STATUSES: ReadonlySet<AuthStatus> = new Set<AuthStatus>([
  'cancelled',
  'loop-stopped',
  'open-in-wechat',
  'signed-out',
])

export interface StartOptions {
  /** The landing URL was a cancelled login (state, no code). */
  cancelled: boolean
  /** A production build opened outside WeChat: show the QR code, never try to log in. */
  outsideWechat: boolean
}

export interface LoginOptions {
  /** A tap: always goes, and resets the loop guard. Automatic trips are rationed. */
  manual?: boolean
}

export const useAuthStore = defineStore('auth', () => {
  const user = ref<WechatUser | null>(null)
  const session = ref<SessionInfo | null>(null)
  const status = ref<AuthStatus>('idle')
  /** Why the unavailable screen is up (its wording). */
  const unavailableReason = ref<UnavailableReason>('wechat')
  /** The route the user is on or heading to (set by the router guard): where a login returns. */
  const returnPath = ref('/')
  const refreshing = ref(false)
  /** After a cancel or a logout, a missing session shows that screen instead of a new login. */
  const autoLoginBlockedBy = ref<'cancelled' | 'signed-out' | null>(null)

  let inflight: Promise<void> | null = null

  const readOnly = computed(() => session.value?.snapshot === true || status.value === 'snapshot')
  const screen = computed(() => (SCREEN_STATUSES.has(status.value) ? status.value : null))
  const waitsForTap = computed(() => MANUAL_STATUSES.has(status.value))

  function settledStatus(): AuthStatus {
    if (session.value === null) return 'idle'
    return session.value.snapshot ? 'snapshot' : 'ready'
  }

  function apply(me: MeResponse): void {
    user.value = me.user
    session.value = me.session
    autoLoginBlockedBy.value = null
    status.value = settledStatus()
  }

  /** Set the initial status from what boot found. Call once, before the router starts. */
  function start(options: StartOptions): void {
    if (options.outsideWechat) status.value = 'open-in-wechat'
    else if (options.cancelled) {
      autoLoginBlockedBy.value = 'cancelled'
      status.value = 'cancelled'
    }
  }

  /** Remember where a login should come back to (the router guard calls this). */
  function setReturnPath(fullPath: string): void {
    returnPath.value = fullPath
  }

  async function load(): Promise<void> {
    status.value = 'loading'
    try {
      apply(await fetchMe())
    } catch {
      // The client already mapped the failure (login, screen…); only an unmapped one lands here.
      if (status.value === 'loading') {
        unavailableReason.value = 'server'
        status.value = 'unavailable'
      }
    }
  }

  /** One cached `GET /api/me`: the router guard awaits it before every navigation. Never throws. */
  function ensureLoaded(): Promise<void> {
    if (session.value !== null || waitsForTap.value) return Promise.resolve()
    inflight ??= load().finally(() => {
      inflight = null
    })
    return inflight
  }

  /**
   * Go to WeChat's authorize page and come back to {@link returnPath}. Automatic trips (no tap) go
   * through the loop guard; a tap always goes.
   */
  async function startLogin(scope: Scope = LOGIN_SCOPE, options: LoginOptions = {}): Promise<void> {
    if (status.value === 'redirecting') return
    if (options.manual === true) {
      loopGuard.reset()
      autoLoginBlockedBy.value = null
    } else {
      if (status.value === 'open-in-wechat') return
      if (autoLoginBlockedBy.value !== null) {
        status.value = autoLoginBlockedBy.value
        return
      }
      if (!loopGuard.check().allowed) {
        status.value = 'loop-stopped'
        return
      }
    }
    loopGuard.record()
    clearPendingCode()
    status.value = 'redirecting'
    try {
      const returnTo = buildReturnTo(returnPath.value, {
        mode: ROUTER_MODE,
        base: BASE_URL,
        pathname: window.location.pathname,
        search: window.location.search,
      })
      const { url } = await getAuthorizeUrl({ returnTo, scope })
      leavePage(url)
    } catch {
      // network and 5xx already switched to the unavailable screen; anything else ends there too
      if (status.value === 'redirecting') {
        unavailableReason.value = 'server'
        status.value = 'unavailable'
      }
    }
  }

  /** `POST /api/me/refresh`: a fresh nickname and avatar from WeChat. */
  async function refreshProfile(): Promise<void> {
    if (refreshing.value) return
    refreshing.value = true
    try {
      const { user: fresh } = await refreshMe()
      user.value = fresh
    } catch {
      // mapped by the client: upgrade screen, re-login or unavailable
    } finally {
      refreshing.value = false
    }
  }

  /** End the session. No automatic login afterwards: the signed-out screen waits for a tap. */
  async function logout(): Promise<void> {
    try {
      await apiLogout()
    } catch {
      return // mapped by the client (unavailable screen); the session is still there
    }
    clearPendingCode()
    user.value = null
    session.value = null
    autoLoginBlockedBy.value = 'signed-out'
    status.value = 'signed-out'
  }

  /**
   * Leave a screen and carry on: the unavailable screen's retry (the pending code, if any, is still
   * held), or "not now" on the upgrade and cancelled screens.
   */
  function resume(): Promise<void> {
    status.value = settledStatus()
    return ensureLoaded()
  }

  /** The page came back from the back/forward cache: recheck the session, never bounce. */
  function revalidate(): Promise<void> {
    loopGuard.markBackForward()
    if (status.value !== 'redirecting') return Promise.resolve()
    status.value = settledStatus()
    return ensureLoaded()
  }

  function onApiFailure(action: AuthAction): void {
    // A screen that waits for a tap stays up; only a login request is weighed (and refused there).
    if (waitsForTap.value && action.type !== 'login' && action.type !== 'fresh-login') return
    switch (action.type) {
      case 'login':
      case 'fresh-login':
        void startLogin(LOGIN_SCOPE)
        break
      case 'unavailable':
        unavailableReason.value = action.reason
        status.value = 'unavailable'
        break
      case 'snapshot':
        status.value = 'snapshot'
        break
      case 'upgrade':
        status.value = 'upgrade'
        break
      case 'none':
        break
    }
  }
  setApiFailureListener(onApiFailure)

  return {
    user,
    session,
    status,
    unavailableReason,
    returnPath,
    refreshing,
    autoLoginBlockedBy,
    readOnly,
    screen,
    waitsForTap,
    start,
    setReturnPath,
    ensureLoaded,
    startLogin,
    refreshProfile,
    logout,
    resume,
    revalidate,
  }
})
