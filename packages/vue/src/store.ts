/**
 * The pinia store of one `createWechatAuth()` instance: who is signed in and what the page is doing
 * about it. Defined per instance (its own id, its own client, loop guard and pending code), so two
 * instances never share state. The state changes only through {@link transition}; the actions are
 * the calls to the server and what follows from a transition (the trip to WeChat). It never holds a
 * WeChat token: the server keeps them, the browser only has an httpOnly session cookie.
 */
import { computed, ref } from 'vue'
import { defineStore } from 'pinia'
import type {
  AuthorizeUrlQuery,
  AuthorizeUrlResponse,
  MeResponse,
  RefreshResponse,
  Scope,
  SessionInfo,
  WechatUser,
} from '@wxauth/shared'
import type { PendingCodeHolder, WechatAuthApi } from './client.js'
import type { AuthAction } from './error-actions.js'
import type { LoopGuard } from './loop-guard.js'
import {
  buildReturnTo,
  currentRoutePath,
  type ReturnToContext,
  type RouterMode,
} from './return-to.js'
import {
  screenOf,
  transition,
  waitsForTap as waitsForTapOf,
  type AuthEvent,
  type AuthState,
  type AuthStatus,
} from './status.js'
import type { AuthWindow } from './window.js'

/** What the store of an instance works with. */
export interface AuthStoreDeps {
  api: WechatAuthApi
  pending: PendingCodeHolder
  guard: LoopGuard
  /** The scope of automatic logins. */
  scope: Scope
  routerMode: RouterMode
  routerBase: string
  window: AuthWindow
  initialStatus: AuthStatus
}

/** Define the store of one instance under `id`. */
export function defineAuthStore(id: string, deps: AuthStoreDeps) {
  return defineStore(id, () => {
    const status = ref<AuthStatus>(deps.initialStatus)
    const user = ref<WechatUser | null>(null)
    const session = ref<SessionInfo | null>(null)
    /** The route the user is on or heading to (the app's router guard says): where a login returns. */
    const returnPath = ref<string | null>(null)

    /** A snapshot-page guest: the page is read-only. */
    const readOnly = computed(
      () => session.value?.snapshot === true || status.value.kind === 'snapshot',
    )
    /** The full screen to show instead of the page, or `null`. */
    const screen = computed(() => screenOf(status.value))
    /** A screen waits for a tap: no automatic login, nothing loaded behind it. */
    const waitsForTap = computed(() => waitsForTapOf(status.value))
    /** A profile refresh is running. */
    const refreshing = computed(() => status.value.kind === 'refreshing')

    let loading: Promise<void> | null = null

    function dispatch(event: AuthEvent): AuthState {
      const next = transition(
        { status: status.value, user: user.value, session: session.value },
        event,
      )
      status.value = next.status
      user.value = next.user
      session.value = next.session
      return next
    }

    async function load(): Promise<void> {
      dispatch({ type: 'load' })
      try {
        dispatch({ type: 'loaded', me: await deps.api<MeResponse>('/me') })
      } catch {
        // The client already mapped the failure (login, screen…); only an unmapped one counts here.
        dispatch({ type: 'load-failed' })
      }
    }

    /** One cached `GET /me`: a router guard awaits it before every navigation. Never throws. */
    function ensureLoaded(): Promise<void> {
      if (session.value !== null || waitsForTap.value) return Promise.resolve()
      if (!loading) {
        loading = load().finally(() => {
          loading = null
        })
      }
      return loading
    }

    /**
     * Go to WeChat's authorize page and come back to {@link returnPath}. Automatic trips go through
     * the loop guard; a tap always goes and resets it.
     */
    async function startLogin(scope: Scope, manual: boolean): Promise<void> {
      const before = status.value
      if (manual && before.kind !== 'redirecting') deps.guard.reset()
      const next = dispatch({
        type: 'login',
        scope,
        manual,
        guard: manual ? { allowed: true } : deps.guard.check(),
      })
      if (next.status.kind !== 'redirecting' || before.kind === 'redirecting') return
      deps.guard.record()
      deps.pending.clear()
      try {
        const { location } = deps.window
        const ctx: ReturnToContext = {
          mode: deps.routerMode,
          base: deps.routerBase,
          pathname: location.pathname,
          search: location.search,
        }
        const path = returnPath.value || currentRoutePath(ctx, location.hash)
        const query: AuthorizeUrlQuery = { returnTo: buildReturnTo(path, ctx), scope }
        const { url } = await deps.api<AuthorizeUrlResponse>('/auth/authorize-url', { query })
        location.assign(url)
      } catch {
        // network and 5xx already switched to the unavailable screen; anything else ends there too
        dispatch({ type: 'redirect-failed' })
      }
    }

    /** A tap: log in now with `scope` (the automatic scope by default). Always goes. */
    function login(scope: Scope = deps.scope): Promise<void> {
      return startLogin(scope, true)
    }

    /** `POST /me/refresh`: a fresh nickname and avatar from WeChat (signed in, no screen up). */
    async function refresh(): Promise<void> {
      const before = status.value
      if (dispatch({ type: 'refresh' }).status === before) return // not signed in, or running
      let fresh: WechatUser | null = null
      try {
        fresh = (await deps.api<RefreshResponse>('/me/refresh', { method: 'POST' })).user
      } catch {
        // mapped by the client: upgrade screen, re-login or unavailable
      }
      dispatch({ type: 'refreshed', user: fresh })
    }

    /** End the session. No automatic login afterwards: the signed-out screen waits for a tap. */
    async function logout(): Promise<void> {
      try {
        await deps.api('/auth/logout', { method: 'POST' })
      } catch {
        return // mapped by the client (unavailable screen); the session is still there
      }
      deps.pending.clear()
      dispatch({ type: 'signed-out' })
    }

    /**
     * Leave a screen and carry on: the unavailable screen's retry (a pending code is still held),
     * or "not now" on the upgrade and cancelled screens.
     */
    function resume(): Promise<void> {
      dispatch({ type: 'resume' })
      return ensureLoaded()
    }

    /** The page came back from the back/forward cache: recheck the session, never bounce. */
    function revalidate(): Promise<void> {
      deps.guard.markBackForward()
      if (status.value.kind !== 'redirecting') return Promise.resolve()
      dispatch({ type: 'page-restored' })
      return ensureLoaded()
    }

    /** Remember where a login should come back to (the app's router guard calls this). */
    function setReturnPath(fullPath: string): void {
      returnPath.value = fullPath
    }

    /** What the client reports for each failed request. */
    function handleFailure(action: AuthAction): void {
      if (action.type === 'login' || action.type === 'fresh-login') {
        void startLogin(deps.scope, false)
        return
      }
      dispatch({ type: 'failure', action })
    }

    return {
      status,
      user,
      session,
      returnPath,
      readOnly,
      screen,
      waitsForTap,
      refreshing,
      ensureLoaded,
      login,
      refresh,
      logout,
      resume,
      revalidate,
      setReturnPath,
      handleFailure,
    }
  })
}

/** The store of an instance (what `defineAuthStore(...)()` returns). */
export type AuthStore = ReturnType<ReturnType<typeof defineAuthStore>>
