/**
 * The pinia store of one `createWechatAuth()` instance: who is signed in and what the page is doing
 * about it. Defined per instance (its own id, its own client, loop guard and pending code), so two
 * instances never share state. The state changes only through {@link transition}; the actions are
 * the calls to the server and what follows from a transition (the trip to WeChat). It never holds a
 * WeChat token: the server keeps them, the browser only has an httpOnly session cookie.
 */
import { computed, getCurrentScope, onScopeDispose, ref } from 'vue'
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
import type { IntentStore, LoginIntent } from './intent.js'
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
  /** The login intents: the one this page landed back with, and where a new one is kept. */
  intents: IntentStore
  now?: () => number
}

/** Options of a tap's {@link login}. */
export interface LoginOptions {
  /**
   * What the user was doing (`'join'`, `'refresh'`…): carried through WeChat and handed, once, to
   * the handler {@link onIntent} registered for it when the page is back with the profile.
   */
  intent?: string | undefined
}

/** Completes a login intent; may be async (its rejection is logged, never rethrown). */
export type IntentHandler = (intent: LoginIntent) => unknown

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
    const now = deps.now || Date.now
    /** The handlers {@link onIntent} registered, per action; the latest one completes it. */
    const handlers = new Map<string, IntentHandler[]>()

    function dispatch(event: AuthEvent): AuthState {
      const next = transition(
        { status: status.value, user: user.value, session: session.value },
        event,
      )
      status.value = next.status
      user.value = next.user
      session.value = next.session
      completeIntent()
      return next
    }

    /**
     * Hand the landed intent to its handler once the page is signed in with the profile
     * (`snsapi_userinfo`) and a handler is there. Taken first, so nothing can run it twice; run in a
     * microtask, outside the transition that made it possible.
     */
    function completeIntent(): void {
      const intent = deps.intents.landed()
      if (intent === null || status.value.kind !== 'ready') return
      if (session.value?.scope !== 'snsapi_userinfo' || session.value.snapshot) return
      const list = handlers.get(intent.action)
      const handler = list?.[list.length - 1]
      if (!handler) return
      deps.intents.take()
      void Promise.resolve()
        .then(() => handler(intent))
        .catch((error: unknown) => console.error('[@wxauth/vue] intent handler failed:', error))
    }

    /**
     * Complete `action` when the user comes back from a login started for it (`login(scope,
     * { intent })`, or the upgrade screen after {@link requestProfile}). Called in a component's
     * setup it ends with the component; the returned function ends it before that.
     */
    function onIntent(action: string, handler: IntentHandler): () => void {
      const list = handlers.get(action) ?? []
      list.push(handler)
      handlers.set(action, list)
      const stop = () => {
        const i = list.indexOf(handler)
        if (i >= 0) list.splice(i, 1)
      }
      if (getCurrentScope()) onScopeDispose(stop)
      completeIntent()
      return stop
    }

    /**
     * The app needs the profile for `intent` (say, 报名 from a `snsapi_base` session): show the
     * upgrade screen, worded for it; its button logs in with `snsapi_userinfo` and the intent.
     */
    function requestProfile(intent?: string): void {
      dispatch({ type: 'profile-needed', intent })
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
    async function startLogin(scope: Scope, manual: boolean, intent?: string): Promise<void> {
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
        const { url, state } = await deps.api<AuthorizeUrlResponse>('/auth/authorize-url', {
          query,
        })
        // bound to this login's state: only its callback can complete it
        if (intent !== undefined)
          deps.intents.save({ action: intent, returnPath: path, at: now() }, state)
        location.assign(url)
      } catch {
        // network and 5xx already switched to the unavailable screen; anything else ends there too
        dispatch({ type: 'redirect-failed' })
      }
    }

    /**
     * A tap: log in now with `scope` (the automatic scope by default). Always goes. With an
     * `intent`, what the user was doing is completed when they come back (see {@link onIntent}).
     */
    function login(scope: Scope = deps.scope, options: LoginOptions = {}): Promise<void> {
      return startLogin(scope, true, options.intent)
    }

    /**
     * `POST /me/refresh`: a fresh nickname and avatar from WeChat (signed in, no screen up).
     * Resolves `true` when a fresh profile arrived. A session without the profile scope gets the
     * upgrade screen with the intent `'refresh'`.
     */
    async function refresh(): Promise<boolean> {
      const before = status.value
      if (dispatch({ type: 'refresh' }).status === before) return false // not signed in, or running
      let fresh: WechatUser | null = null
      try {
        fresh = (await deps.api<RefreshResponse>('/me/refresh', { method: 'POST' })).user
      } catch {
        // mapped by the client: upgrade screen, re-login or unavailable
        if (status.value.kind === 'upgrade') requestProfile('refresh')
      }
      dispatch({ type: 'refreshed', user: fresh })
      return fresh !== null
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
      requestProfile,
      onIntent,
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
