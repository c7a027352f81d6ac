/**
 * Who is asking (docs/architecture.md#the-login-flow, step 5), for every protected route:
 * 1. a valid session cookie wins;
 * 2. a request that also (or only) carries `X-WeChat-Code` + `X-WeChat-State` has its state checked
 *    against the signed state cookie (403 STATE_MISMATCH before any cache lookup or WeChat call),
 *    then the code is exchanged once (login/code-exchange.ts) and the resulting session is set;
 * 3. neither → 401 AUTH_REQUIRED.
 * `requireUser` sets `request.wechatSession` and `request.wechatUser`; `requireProfile` also wants a
 * stored profile and no snapshot guest. Resolution runs once per request, however many hooks ask.
 * In embedded mode a verified cookie's view comes from the one session cache
 * (stores/memory/session-cache.ts).
 *
 * The hooks are callback-style, and a cached session with no code resolves without a promise: on
 * `GET /api/me`, the hot path, the promises and microtask hops of async hooks were a measurable
 * share of the request (bench/me.bench.ts). Anything that has to wait (a store read, an exchange)
 * is async as usual.
 */
import type {
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  preHandlerHookHandler,
} from 'fastify'
import {
  CODE_HEADER,
  CODE_PATTERN,
  STATE_HEADER,
  STATE_PATTERN,
  type SessionInfo,
  type WechatUser,
} from '@wxauth/shared'
import { ApiError } from '../errors/api-error.js'
import { RateLimitedError } from '../errors/rate-limited.js'
import type { AuthContext, Login } from '../login/index.js'
import type { Metrics } from '../metrics/index.js'
import { stateIsFresh } from '../login/state-cookie.js'
import { stateMismatch, statesMatch } from '../login/state.js'
import { toSessionInfo, toWechatUser } from '../routes/dto.js'
import type { SessionCache } from '../stores/memory/session-cache.js'
import { sessionKey, type SessionKey } from '../util/ids.js'
import type { CookieJar } from './cookies.js'
import { requestState } from './request-state.js'
import type { WechatSession } from './request-types.js'

/** A code and state to log in with: from the headers, or from `POST {prefix}/auth/session`'s body. */
export interface Credentials {
  code?: string | undefined
  state?: string | undefined
}

/** A preHandler hook (callback-style: `addHook('preHandler', hook)` or `{ preHandler: hook }`). */
export type AuthHook = preHandlerHookHandler

/** A value now, or once a store answers. */
type Now<T> = T | Promise<T>

/** A session as the routes see it, built once per session (and cached with it in embedded mode). */
export interface SessionView {
  auth: AuthContext
  session: Readonly<WechatSession>
  user: Readonly<WechatUser> | null
  info: Readonly<SessionInfo>
  /**
   * `GET {prefix}/me`'s body, `{ user, session }`, serialized once per view: a cached view answers
   * its many `/api/me` calls with the same bytes, and goes with its cache entry.
   */
  meJson: string
}

export interface AuthHooks {
  requireUser: AuthHook
  requireProfile: AuthHook
  /** requireUser, and not a snapshot guest (who has only a virtual openid WeChat does not know). */
  requireWechatIdentity: AuthHook
  /** The signed-in state of a request after one of the hooks ran (throws if none ran). */
  viewOf(request: FastifyRequest): SessionView
  /** Resolve a request's session with explicit credentials (the header path and the body path). */
  resolve(request: FastifyRequest, reply: FastifyReply, credentials: Credentials): Now<SessionView>
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value.join(',') : value
}

/** The routes' view of a session: frozen, as it may be shared by many requests. */
function viewOf(auth: AuthContext): SessionView {
  const { session, user } = auth
  const me = {
    user: user === null || session.snapshot ? null : Object.freeze(toWechatUser(user)),
    session: Object.freeze(toSessionInfo(session)),
  }
  return {
    auth,
    session: Object.freeze({
      openid: session.openid,
      unionid: session.unionid,
      userId: session.userId,
      scope: session.scope,
      snapshot: session.snapshot,
      expiresAt: new Date(session.expiresAt),
    }),
    user: me.user,
    info: me.session,
    meJson: JSON.stringify(me),
  }
}

export interface AuthHooksDeps {
  login: Login
  jar: CookieJar
  now: () => number
  /** Embedded mode's session cache, else null. */
  cache: SessionCache<SessionView> | null
  /**
   * The exchange rate limits (http/rate-limits.ts), run only before an exchange that would call
   * WeChat. Throws RATE_LIMITED.
   */
  exchangeLimit?: (request: FastifyRequest, state: string) => Promise<void>
  metrics: Metrics
}

/** Run a hook's `check` on the settled view, then hand Fastify the outcome. */
function checked(
  check: (view: SessionView) => void,
  view: SessionView,
  done: HookHandlerDoneFunction,
): void {
  try {
    check(view)
  } catch (error) {
    return done(error as Error)
  }
  done()
}

/** Build the hooks over the login and the cookie jar. */
export function createAuthHooks({
  login,
  jar,
  now,
  cache,
  exchangeLimit,
  metrics,
}: AuthHooksDeps): AuthHooks {
  function settle(request: FastifyRequest, view: SessionView): SessionView {
    requestState(request).view = view
    request.wechatSession = view.session
    request.wechatUser = view.user
    return view
  }

  /** The live session the request's cookie names, or null: at once from the cache, else loaded. */
  function currentView(request: FastifyRequest): Now<SessionView | null> {
    const raw = jar.rawSession(request)
    if (raw === undefined) return null
    const hit = cache?.get(raw)
    if (hit !== undefined) return hit.value.auth.session.expiresAt > now() ? hit.value : null
    const key = jar.verifySession(raw)
    if (key === null) return null
    return loadView(raw, key)
  }

  async function loadView(raw: string, key: SessionKey): Promise<SessionView | null> {
    const mark = cache?.mark() ?? 0
    const auth = await login.sessions.load(key)
    if (auth === null) return null
    const view = viewOf(auth)
    cache?.set(raw, { idHash: auth.session.idHash, userId: auth.session.userId, value: view }, mark)
    return view
  }

  /** No code: the cookie's session, or 401. */
  function signedIn(
    request: FastifyRequest,
    reply: FastifyReply,
    current: SessionView | null,
  ): SessionView {
    if (current === null) {
      if (jar.hasSessionCookie(request)) jar.clearSession(reply)
      throw new ApiError('AUTH_REQUIRED')
    }
    // A session from before the __Host- prefix: moved to the prefixed cookie, same id.
    if (jar.sessionIsLegacy(request)) {
      jar.setSession(reply, current.auth.sessionId, current.auth.session.expiresAt, now())
    }
    return settle(request, current)
  }

  function resolve(
    request: FastifyRequest,
    reply: FastifyReply,
    credentials: Credentials,
  ): Now<SessionView> {
    if (credentials.code !== undefined)
      return logIn(request, reply, credentials.code, credentials.state)
    const current = currentView(request)
    return current instanceof Promise
      ? current.then((view) => signedIn(request, reply, view))
      : signedIn(request, reply, current)
  }

  /** A code (and its state): checked, then exchanged once, unless it made this very session. */
  async function logIn(
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    state: string | undefined,
  ): Promise<SessionView> {
    if (!CODE_PATTERN.test(code)) {
      throw new ApiError('VALIDATION_ERROR', 'The WeChat code is malformed')
    }
    if (state === undefined) {
      throw new ApiError('VALIDATION_ERROR', 'A WeChat code must come with its state')
    }
    if (!STATE_PATTERN.test(state)) {
      throw new ApiError('VALIDATION_ERROR', 'The WeChat state is malformed')
    }
    const current = await currentView(request)
    if (current !== null) {
      // A code that already produced this very session changes nothing: no state needed, no call.
      const known = await login.cachedOutcome(code)
      if (known?.ok && known.sessionId === current.auth.sessionId) {
        metrics.codeReuse()
        return settle(request, current)
      }
    }
    // The state must be this browser's (the signed cookie), and issued less than 10 minutes ago.
    const expected = jar.readState(request)
    if (
      expected === null ||
      !stateIsFresh(expected.issuedAt, now()) ||
      !statesMatch(expected.state, state)
    ) {
      metrics.stateMismatch('cookie')
      throw stateMismatch()
    }
    const outcome = await login.exchangeOnce(
      code,
      state,
      current?.auth ?? null,
      request.log,
      exchangeLimit && (() => exchangeLimit(request, state)),
    )
    if (!outcome.ok) {
      throw outcome.code === 'RATE_LIMITED'
        ? new RateLimitedError(1, outcome.message)
        : new ApiError(outcome.code, outcome.message)
    }
    const next = await login.sessions.load(sessionKey(outcome.sessionId))
    if (next === null) {
      throw new ApiError(
        'CODE_USED',
        'The login this code belonged to has ended; please log in again',
      )
    }
    jar.setSession(reply, next.sessionId, next.session.expiresAt, now())
    jar.clearState(reply)
    return settle(request, viewOf(next))
  }

  /** The request's session, resolved once however many hooks ask. */
  function authenticate(request: FastifyRequest, reply: FastifyReply): Now<SessionView> {
    const known = requestState(request).view
    if (known !== undefined) return known
    // Whatever a protected route answers depends on who asks: never cached by a browser or a proxy.
    reply.header('cache-control', 'no-store')
    return resolve(request, reply, {
      code: header(request, CODE_HEADER),
      state: header(request, STATE_HEADER),
    })
  }

  /** A hook: authenticate, then `check` the view (throwing an ApiError to refuse). */
  function hook(check: (view: SessionView) => void): AuthHook {
    return (request, reply, done) => {
      let view: Now<SessionView>
      try {
        view = authenticate(request, reply)
      } catch (error) {
        return done(error as Error)
      }
      // No closure made per request on the settled path: checked() is module-level (a closure per
      // call was ~40 % of this hook's time from source, where tsx defines a name on each one).
      if (view instanceof Promise) view.then((settled) => checked(check, settled, done), done)
      else checked(check, view, done)
    }
  }

  const noSnapshot = (view: SessionView) => {
    if (view.session.snapshot) throw new ApiError('SNAPSHOT_USER')
  }

  return {
    requireUser: hook(() => {}),
    requireWechatIdentity: hook(noSnapshot),
    requireProfile: hook((view) => {
      noSnapshot(view)
      if (view.user === null) throw new ApiError('SCOPE_UPGRADE_REQUIRED')
    }),
    viewOf(request) {
      const view = requestState(request).view
      if (view === undefined) throw new Error('no auth hook ran for this request')
      return view
    },
    resolve,
  }
}
