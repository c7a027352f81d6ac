/**
 * `createWechatAuth(options)`: the Vue plugin, shaped like `createRouter()` / `createPinia()`.
 * Creating it reads the landing URL (and cleans it), so it is created *before* `createRouter()`.
 * Everything of one login lives in the instance it returns: the pending code, the entry URL, the
 * loop guard, the one ofetch client and the pinia store; `install(app)` provides it to the app,
 * where `useWechatAuth()` finds it.
 */
import { computed, type App, type ComputedRef, type InjectionKey } from 'vue'
import type { Pinia } from 'pinia'
import {
  SCOPES,
  isWechatBrowser,
  type Scope,
  type SessionInfo,
  type WechatUser,
} from '@wxauth/shared'
import {
  REQUEST_TIMEOUT_MS,
  createAuthClient,
  createPendingCode,
  type QuietApi,
  type WechatAuthApi,
} from './client.js'
import { DEV } from './dev.js'
import { createIntentStore } from './intent.js'
import { readLanding } from './landing.js'
import { createLoopGuard } from './loop-guard.js'
import type { RouterMode } from './return-to.js'
import { initialStatus, type AuthStatus, type ScreenKind } from './status.js'
import { defineAuthStore, type AuthStore, type IntentHandler, type LoginOptions } from './store.js'
import { browserWindow, navigationTypeOf, sessionStorageOf, type AuthWindow } from './window.js'

/** Options of {@link createWechatAuth}; every one has a default. */
export interface WechatAuthOptions {
  /**
   * Where the auth API is mounted (the `@wxauth/fastify` plugin's `prefix`): `/api` by default.
   * Only requests under it carry the WeChat code. Same origin as the page (cookies).
   */
  baseURL?: string
  /**
   * The scope of *automatic* logins. `snsapi_base` (default) is silent and never lands a user on
   * WeChat's snapshot page (快照页); ask for `snsapi_userinfo` on a tap, with `login('snsapi_userinfo')`.
   * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
   */
  scope?: Scope
  /**
   * The app's vue-router history: `history` (default, `createWebHistory`) or `hash`
   * (`createWebHashHistory`), whose route travels through WeChat as `?r=` because redirect_uri
   * cannot carry a `#`.
   */
  routerMode?: RouterMode
  /** The router's base path (history mode), as given to `createWebHistory(base)`; `/` by default. */
  routerBase?: string
  /**
   * `true`: outside WeChat's browser show the open-in-WeChat screen and never start a login
   * (WeChat's authorize page only works inside WeChat). Default `false`. A Vite app passes
   * `import.meta.env.PROD`, so development builds still run in a desktop browser (against a
   * simulator).
   */
  wechatOnly?: boolean
  /** Our own ceiling for one request, in milliseconds (default 15 000). */
  timeout?: number
  /** The id of the instance's pinia store (`wechatAuth`); give a second instance in one pinia another. */
  id?: string
  /** The transport under ofetch (tests inject one); the global `fetch` by default. */
  fetch?: typeof globalThis.fetch
  /** The page (tests and non-browser hosts pass a stand-in); the global `window` by default. */
  window?: AuthWindow
}

/** Everything `useWechatAuth()` returns. Refs are read-only: the state changes through the actions. */
export interface WechatAuthContext {
  /** The stored profile; `null` before one is known (a silent `snsapi_base` session) or signed out. */
  user: ComputedRef<WechatUser | null>
  /** The session's facts (`scope`, `snapshot`, `expiresAt`); `null` without a session. */
  session: ComputedRef<SessionInfo | null>
  /** What the page is doing about the login (one discriminated union, see {@link AuthStatus}). */
  status: ComputedRef<AuthStatus>
  /** A snapshot-page (快照页) guest: show the page read-only. */
  readOnly: ComputedRef<boolean>
  /** The full screen to show instead of the page, or `null`. */
  screen: ComputedRef<ScreenKind | null>
  /** A screen waits for a tap: a router guard should load nothing behind it. */
  waitsForTap: ComputedRef<boolean>
  /** A profile refresh is running. */
  refreshing: ComputedRef<boolean>
  /**
   * A tap: go to WeChat now with `scope` (the automatic scope by default); resets the loop guard.
   * `{ intent }`: what the user was doing, completed by its {@link onIntent} handler on return.
   */
  login(scope?: Scope, options?: LoginOptions): Promise<void>
  /**
   * The app needs the profile for `intent` (`'join'`…): the upgrade screen, worded for it; its
   * button logs in with `snsapi_userinfo` carrying the intent.
   */
  requestProfile(intent?: string): void
  /**
   * Complete `action` once when the user is back from a login made for it, signed in with the
   * profile. The intent is deleted before `handler` runs: a reload or back never repeats it. In a
   * component's setup it ends with the component; the returned function ends it sooner.
   */
  onIntent(action: string, handler: IntentHandler): () => void
  /** `POST {baseURL}/auth/logout`; then the signed-out screen waits for a tap. */
  logout(): Promise<void>
  /**
   * `POST {baseURL}/me/refresh`: a fresh nickname and avatar from WeChat; `true` when they came.
   * A session without the profile scope gets the upgrade screen with the intent `'refresh'`.
   */
  refresh(): Promise<boolean>
  /** Leave a screen and carry on (retry, "not now"). */
  resume(): Promise<void>
  /** One cached `GET {baseURL}/me` unless a session is known or a screen waits; never throws. */
  ensureLoaded(): Promise<void>
  /** Where a login returns to: a router guard passes `to.fullPath` (default: the current route). */
  setReturnPath(fullPath: string): void
  /** The one ofetch instance: carries the code until a request succeeds, maps failures. */
  api: WechatAuthApi
  /** The same client for optional extras: a failure only rejects. */
  quietApi: QuietApi
  /** The URL the page was entered with, without its fragment (iOS JS-SDK signatures). */
  entryUrl: string
}

/** What `createWechatAuth()` returns: a Vue plugin, and the client for code outside components. */
export interface WechatAuth {
  /** `app.use(auth)`, after `app.use(createPinia())`. */
  install(app: App): void
  /** The one ofetch instance (see {@link WechatAuthContext.api}); usable before `install`. */
  readonly api: WechatAuthApi
  /** See {@link WechatAuthContext.quietApi}. */
  readonly quietApi: QuietApi
  /** See {@link WechatAuthContext.entryUrl}. */
  readonly entryUrl: string
  /** The id of the instance's pinia store (`createTestingPinia({ initialState: { [id]: … } })`). */
  readonly storeId: string
  /** The instance's pinia store (devtools, tests); apps use `useWechatAuth()`. */
  useStore(pinia?: Pinia): AuthStore
}

/** The injection key `install` provides the instance under. */
export const wechatAuthKey: InjectionKey<WechatAuthInstance> = Symbol('wxauth')

/** The instance as `useWechatAuth()` sees it. @internal */
export interface WechatAuthInstance extends WechatAuth {
  /** The context of the app it is installed in; `null` before `install`. */
  context(): WechatAuthContext | null
}

/** The store's state and getters `useWechatAuth()` hands out as read-only refs. */
const CONTEXT_REFS = [
  'user',
  'session',
  'status',
  'readOnly',
  'screen',
  'waitsForTap',
  'refreshing',
] as const satisfies ReadonlyArray<keyof WechatAuthContext & keyof AuthStore>
/** The store's actions `useWechatAuth()` hands out. */
const CONTEXT_ACTIONS = [
  'login',
  'requestProfile',
  'onIntent',
  'logout',
  'refresh',
  'resume',
  'ensureLoaded',
  'setReturnPath',
] as const satisfies ReadonlyArray<keyof WechatAuthContext & keyof AuthStore>

interface ResolvedOptions {
  baseURL: string
  scope: Scope
  routerMode: RouterMode
  routerBase: string
  wechatOnly: boolean
  timeout: number
  id: string
}

const DEFAULTS: ResolvedOptions = {
  baseURL: '/api',
  scope: 'snsapi_base',
  routerMode: 'history',
  routerBase: '/',
  wechatOnly: false,
  timeout: REQUEST_TIMEOUT_MS,
  id: 'wechatAuth',
}

/** The options with their defaults; in development every problem is named at once. */
function resolveOptions(options: WechatAuthOptions): ResolvedOptions {
  const resolved = { ...DEFAULTS }
  for (const key of Object.keys(DEFAULTS) as Array<keyof ResolvedOptions>) {
    if (options[key] !== undefined) Object.assign(resolved, { [key]: options[key] })
  }
  if (DEV) checkOptions(resolved)
  return resolved
}

/** Development builds: reject options that would fail later, and say why. */
function checkOptions(o: ResolvedOptions): void {
  const show = (value: unknown) => JSON.stringify(value) ?? String(value)
  const rules: Array<[keyof ResolvedOptions, boolean, string]> = [
    [
      'baseURL',
      typeof o.baseURL === 'string' && /^(\/|https?:\/\/)[^?#]*$/.test(o.baseURL),
      'a path or an http(s) URL without ? or #',
    ],
    ['scope', SCOPES.includes(o.scope), SCOPES.join(' or ')],
    ['routerMode', o.routerMode === 'history' || o.routerMode === 'hash', 'history or hash'],
    [
      'routerBase',
      typeof o.routerBase === 'string' && o.routerBase.startsWith('/'),
      'a path starting with /',
    ],
    ['wechatOnly', typeof o.wechatOnly === 'boolean', 'a boolean'],
    [
      'timeout',
      typeof o.timeout === 'number' && Number.isFinite(o.timeout) && o.timeout > 0,
      'a positive number of milliseconds',
    ],
    ['id', typeof o.id === 'string' && o.id !== '', 'a non-empty string'],
  ]
  const problems = rules
    .filter(([, ok]) => !ok)
    .map(([key, , expected]) => `${key} must be ${expected} (got ${show(o[key])})`)
  if (problems.length > 0) {
    throw new Error(`[@wxauth/vue] bad createWechatAuth() options: ${problems.join('; ')}`)
  }
}

/**
 * Create the plugin. Reads `code`/`state` from the address bar and removes them, so call it before
 * `createRouter()`; then `app.use(createPinia()).use(auth).use(router)`.
 */
export function createWechatAuth(options: WechatAuthOptions = {}): WechatAuth {
  const resolved = resolveOptions(options)
  const win = options.window || browserWindow()
  const landing = readLanding(win, resolved.routerMode)
  const pending = createPendingCode(landing.pending)
  const storage = sessionStorageOf(win)
  const guard = createLoopGuard({ storage, navigationType: () => navigationTypeOf(win) })
  // read (and removed from storage) now, with the landing: a later reload finds nothing to replay
  const intents = createIntentStore(storage, resolved.id, landing)

  let store: AuthStore | null = null
  let context: WechatAuthContext | null = null
  let installedIn: App | null = null

  const { api, quietApi } = createAuthClient({
    baseURL: resolved.baseURL,
    timeout: resolved.timeout,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    pending,
    // Before `install` there is no page to change: the promise still rejects.
    onFailure: (action) => {
      if (store) store.handleFailure(action)
    },
  })

  const useStore = defineAuthStore(resolved.id, {
    api,
    pending,
    guard,
    scope: resolved.scope,
    routerMode: resolved.routerMode,
    routerBase: resolved.routerBase,
    window: win,
    intents,
    initialStatus: initialStatus({
      cancelled: landing.cancelled,
      outsideWechat: resolved.wechatOnly && !isWechatBrowser(win.navigator.userAgent),
      intent: intents.cancelled,
    }),
  })

  const instance: WechatAuthInstance = {
    api,
    quietApi,
    entryUrl: landing.entryUrl,
    storeId: resolved.id,
    useStore: (pinia) => useStore(pinia),
    context: () => context,

    install(app) {
      if (installedIn !== null) {
        throw new Error(
          DEV
            ? '[@wxauth/vue] this createWechatAuth() instance is already installed in an app: create one per app'
            : '[@wxauth/vue] installed twice',
        )
      }
      const pinia = app.config.globalProperties.$pinia as Pinia | undefined
      if (!pinia) {
        throw new Error(
          DEV
            ? '[@wxauth/vue] install pinia first: app.use(createPinia()).use(createWechatAuth(…))'
            : '[@wxauth/vue] no pinia',
        )
      }
      const s = useStore(pinia)
      store = s
      const view: Record<string, unknown> = { api, quietApi, entryUrl: landing.entryUrl }
      for (const key of CONTEXT_REFS) view[key] = computed(() => s[key])
      // Looked up on every call, so a test's stubs (createTestingPinia) and spies are honoured.
      for (const key of CONTEXT_ACTIONS) {
        view[key] = (...args: unknown[]) => (s[key] as (...a: unknown[]) => unknown)(...args)
      }
      context = view as unknown as WechatAuthContext
      installedIn = app
      app.provide(wechatAuthKey, instance)

      // Restored from the back/forward cache: recheck instead of bouncing to WeChat again.
      // @see https://web.dev/articles/bfcache
      const onPageShow = (event: PageTransitionEvent): void => {
        if (event.persisted) void s.revalidate()
      }
      win.addEventListener('pageshow', onPageShow)
      app.onUnmount(() => {
        win.removeEventListener('pageshow', onPageShow)
        store = null
        context = null
        installedIn = null
      })
    },
  }
  return instance
}
