/**
 * `createWechatAuthMock(options)`: the mock BFF of a `@wxauth/vue` app, as MSW request handlers
 * (plain data, `http.get('/api/me', resolver)`) over one state. The dev worker
 * (`@wxauth/vue/mock/browser`, `pnpm dev:mock`) and tests (`setupServer(...mock.handlers)` from
 * `msw/node`) use the same handlers. It answers the routes of `@wxauth/fastify` (the auth API,
 * and its optional `me/subscription` and `jssdk/config`), and an app adds its own business routes
 * with `options.handlers`, protected like the real routes with `mock.requireUser(...)`.
 */
import type { HttpHandler, HttpResponseResolver } from 'msw'
import type { TSchema, Static } from 'typebox'
import type { ErrorCode, WechatUser } from '@wxauth/shared'
import {
  consentStep,
  decide,
  parseAuthorizeUrl,
  type ConsentDecision,
  type ConsentStep,
} from './authorize.js'
import {
  headerCredentials,
  publicUser,
  resolveRequest,
  scenarioData,
  type MockCredentials,
  type MockAuthResult,
  type MockSignedIn,
} from './core.js'
import { authHandlers } from './handlers/auth.js'
import { jssdkHandlers } from './handlers/jssdk.js'
import { meHandlers } from './handlers/me.js'
import { subscriptionHandlers } from './handlers/subscription.js'
import { isMockPersonaId, type MockPersonaId } from './personas.js'
import { errorResponse, json, noContent } from './respond.js'
import type { ScenarioName } from './scenarios.js'
import { createMockStore, memoryStorage, type MockData, type MockStorage } from './state.js'

/** The app id the mock authorize URLs carry (the simulator's default development app). */
export const MOCK_APP_ID = 'wx5f3c1a9e2b7d4f60'

/** Options of {@link createWechatAuthMock}; every one has a default. */
export interface WechatAuthMockOptions {
  /** Where the auth API is mounted, as given to `createWechatAuth({ baseURL })`: `/api` by default. */
  baseURL?: string
  /** The AppID in the mock authorize URLs and the JS-SDK config. */
  appId?: string
  /** Answer `GET {baseURL}/me/subscription` (the plugin's `subscription` option). Default true. */
  subscription?: boolean
  /** Answer `GET {baseURL}/jssdk/config` (the plugin's `jssdk` option). Default true. */
  jssdk?: boolean
  /** The account QR image `me/subscription` sends a non-follower (the plugin's `accountQrUrl`). */
  accountQrUrl?: string
  /** The app's own business routes, built on the mock (`mock.requireUser`, `mock.json`…). */
  handlers?: (mock: WechatAuthMock) => HttpHandler[]
  /** Where the state lives: memory by default; the dev worker passes `sessionStorage`. */
  storage?: MockStorage
  /** The clock, epoch ms (tests move it). */
  now?: () => number
}

/** What a protected resolver gets on top of MSW's `{ request, params, … }`. */
export interface MockSignedInInfo extends MockSignedIn {
  /** The stored user as the API shows it; `null` before consent and for snapshot guests. */
  wechatUser: WechatUser | null
}

/** MSW's resolver info plus the signed-in session. */
export type ProtectedResolverInfo = Parameters<HttpResponseResolver>[0] & MockSignedInInfo

/** A resolver behind one of the mock's auth hooks. */
export type ProtectedResolver = (info: ProtectedResolverInfo) => ReturnType<HttpResponseResolver>

/** A piece of business state an app's handlers keep in the mock (reset with it). */
export interface MockAppState<T> {
  read(): T
  update<R>(change: (state: T) => R): R
}

/** The mock BFF: its handlers, its state, and the helpers an app's handlers are built with. */
export interface WechatAuthMock {
  /** Every handler: the auth API, the optional routes, then the app's. */
  readonly handlers: HttpHandler[]
  readonly baseURL: string
  readonly appId: string
  /** The mock's clock. */
  now(): number
  /** `route` under `baseURL`: `mock.path('/activity')` is `/api/activity`. */
  path(route: string): string
  /** A copy of the whole state. */
  state(): MockData
  /** Change the state (read from its storage, changed, written back); returns what `change` does. */
  update<T>(change: (data: MockData) => T): T
  /** Start `scenario` afresh (as `persona`, default the current one): state reset to its seed. */
  useScenario(scenario: ScenarioName, persona?: MockPersonaId): void
  /** The current scenario again, from scratch. */
  reset(): void
  /** End the tab's session now (the next call answers 401 AUTH_REQUIRED). */
  endSession(): void
  /** What the mock authorize page does with `href` before anyone taps. */
  consentStep(href: string): ConsentStep
  /** The consent page's 允许 / 拒绝: where the page goes next (`redirect_uri?code=…&state=…`). */
  decide(href: string, decision: ConsentDecision): string
  /** Resolve a request's session like the real auth hook (state check, once-only exchange). */
  authenticate(request: Request, credentials?: MockCredentials): MockAuthResult
  /** A resolver that runs only for a signed-in request (the real `requireUser`). */
  requireUser(resolver: ProtectedResolver): HttpResponseResolver
  /** `requireUser`, and not a snapshot guest (403 SNAPSHOT_USER). */
  requireWechatIdentity(resolver: ProtectedResolver): HttpResponseResolver
  /** `requireWechatIdentity`, and a stored profile (403 SCOPE_UPGRADE_REQUIRED). */
  requireProfile(resolver: ProtectedResolver): HttpResponseResolver
  /** A JSON answer built against `schema` (see respond.ts). */
  json<S extends TSchema>(schema: S, body: Static<S>, init?: { status?: number }): Response
  /** The error contract's answer for `code`. */
  error(code: ErrorCode, message?: string): Response
  /** `204 No Content`. */
  noContent(): Response
  /** The app's state under `key`, created by `init` on first use and after every reset. */
  appState<T>(key: string, init: (now: number) => T): MockAppState<T>
}

/** Create the mock BFF. */
export function createWechatAuthMock(options: WechatAuthMockOptions = {}): WechatAuthMock {
  const baseURL = (options.baseURL ?? '/api').replace(/\/+$/, '')
  const appId = options.appId ?? MOCK_APP_ID
  const now = options.now ?? (() => Date.now())
  const store = createMockStore(options.storage ?? memoryStorage())

  const authenticate = (request: Request, credentials?: MockCredentials): MockAuthResult =>
    store.update((data) =>
      resolveRequest(data, credentials ?? headerCredentials(request), appId, now()),
    )

  type Guard = (signed: MockSignedIn) => ErrorCode | null
  const guarded =
    (guard: Guard) =>
    (resolver: ProtectedResolver): HttpResponseResolver =>
    (info) => {
      const result = authenticate(info.request)
      if (!result.ok) return errorResponse(result.failure.code, result.failure.message)
      const refused = guard(result.value)
      if (refused !== null) return errorResponse(refused)
      const { user } = result.value
      return resolver({ ...info, ...result.value, wechatUser: user && publicUser(user) })
    }
  const identity: Guard = ({ session }) => (session.snapshot ? 'SNAPSHOT_USER' : null)

  const mock: WechatAuthMock = {
    handlers: [],
    baseURL,
    appId,
    now,
    path: (route) => `${baseURL}${route.startsWith('/') ? route : `/${route}`}`,
    state: () => store.read(),
    update: (change) => store.update(change),
    useScenario(scenario, persona) {
      const current = store.read()
      const who = persona !== undefined && isMockPersonaId(persona) ? persona : current.persona
      store.write(scenarioData(scenario, who, appId, now()))
    },
    reset() {
      const current = store.read()
      store.write(scenarioData(current.scenario, current.persona, appId, now()))
    },
    endSession() {
      store.update((data) => {
        const session = data.sessions.find((s) => s.id === data.cookie)
        if (session) session.expiresAt = Math.min(session.expiresAt || now(), now())
      })
    },
    consentStep: (href) => store.update((data) => consentStep(data, href, appId, now())),
    decide(href, decision) {
      const request = parseAuthorizeUrl(href, appId)
      if (typeof request === 'string') throw new Error(`[@wxauth/vue/mock] ${request}: ${href}`)
      return store.update((data) => decide(data, request, decision, now()))
    },
    authenticate,
    requireUser: guarded(() => null),
    requireWechatIdentity: guarded(identity),
    requireProfile: guarded((signed) =>
      signed.session.snapshot
        ? 'SNAPSHOT_USER'
        : signed.user === null
          ? 'SCOPE_UPGRADE_REQUIRED'
          : null,
    ),
    json: (schema, body, init = {}) => json(schema, body, init),
    error: (code, message) => errorResponse(code, message),
    noContent,
    appState<T>(key: string, init: (at: number) => T): MockAppState<T> {
      const ensure = (data: MockData): T => {
        if (!(key in data.app)) data.app[key] = init(now())
        return data.app[key] as T
      }
      return {
        read: () => store.update((data) => structuredClone(ensure(data))),
        update: (change) => store.update((data) => change(ensure(data))),
      }
    },
  }

  mock.handlers.push(
    ...authHandlers(mock),
    ...meHandlers(mock),
    ...(options.subscription === false ? [] : subscriptionHandlers(mock, options.accountQrUrl)),
    ...(options.jssdk === false ? [] : jssdkHandlers(mock)),
    ...(options.handlers ? options.handlers(mock) : []),
  )
  return mock
}
