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
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
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
import { sessionKey } from '../util/ids.js'
import type { CookieJar } from './cookies.js'
import type { WechatSession } from './request-types.js'

/** A code and state to log in with: from the headers, or from `POST {prefix}/auth/session`'s body. */
export interface Credentials {
  code?: string | undefined
  state?: string | undefined
}

/** A preHandler hook. */
export type AuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

/** A session as the routes see it, built once per session (and cached with it in embedded mode). */
export interface SessionView {
  auth: AuthContext
  session: Readonly<WechatSession>
  user: Readonly<WechatUser> | null
  info: Readonly<SessionInfo>
}

export interface AuthHooks {
  requireUser: AuthHook
  requireProfile: AuthHook
  /** requireUser, and not a snapshot guest (who has only a virtual openid WeChat does not know). */
  requireWechatIdentity: AuthHook
  /** The signed-in state of a request after one of the hooks ran (throws if none ran). */
  viewOf(request: FastifyRequest): SessionView
  /** Resolve a request's session with explicit credentials (the header path and the body path). */
  resolve(
    request: FastifyRequest,
    reply: FastifyReply,
    credentials: Credentials,
  ): Promise<SessionView>
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value.join(',') : value
}

/** The routes' view of a session: frozen, as it may be shared by many requests. */
function viewOf(auth: AuthContext): SessionView {
  const { session, user } = auth
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
    user: user === null || session.snapshot ? null : Object.freeze(toWechatUser(user)),
    info: Object.freeze(toSessionInfo(session)),
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

/** Build the hooks over the login and the cookie jar. */
export function createAuthHooks({
  login,
  jar,
  now,
  cache,
  exchangeLimit,
  metrics,
}: AuthHooksDeps): AuthHooks {
  const views = new WeakMap<FastifyRequest, SessionView>()

  function settle(request: FastifyRequest, view: SessionView): SessionView {
    views.set(request, view)
    request.wechatSession = view.session
    request.wechatUser = view.user
    return view
  }

  /** The live session the request's cookie names, or null. */
  async function currentView(request: FastifyRequest): Promise<SessionView | null> {
    const raw = jar.rawSession(request)
    if (raw === undefined) return null
    const hit = cache?.get(raw)
    if (hit !== undefined) return hit.value.auth.session.expiresAt > now() ? hit.value : null
    const key = jar.verifySession(raw)
    if (key === null) return null
    const mark = cache?.mark() ?? 0
    const auth = await login.sessions.load(key)
    if (auth === null) return null
    const view = viewOf(auth)
    cache?.set(raw, { idHash: auth.session.idHash, userId: auth.session.userId, value: view }, mark)
    return view
  }

  async function resolve(
    request: FastifyRequest,
    reply: FastifyReply,
    { code, state }: Credentials,
  ): Promise<SessionView> {
    const current = await currentView(request)

    if (code === undefined) {
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
    if (!CODE_PATTERN.test(code)) {
      throw new ApiError('VALIDATION_ERROR', 'The WeChat code is malformed')
    }
    if (state === undefined) {
      throw new ApiError('VALIDATION_ERROR', 'A WeChat code must come with its state')
    }
    if (!STATE_PATTERN.test(state)) {
      throw new ApiError('VALIDATION_ERROR', 'The WeChat state is malformed')
    }
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

  async function requireUser(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (views.has(request)) return
    // Whatever a protected route answers depends on who asks: never cached by a browser or a proxy.
    reply.header('cache-control', 'no-store')
    await resolve(request, reply, {
      code: header(request, CODE_HEADER),
      state: header(request, STATE_HEADER),
    })
  }

  async function requireWechatIdentity(request: FastifyRequest, reply: FastifyReply) {
    await requireUser(request, reply)
    if (request.wechatSession?.snapshot) throw new ApiError('SNAPSHOT_USER')
  }

  return {
    requireUser,
    requireWechatIdentity,
    async requireProfile(request, reply) {
      await requireWechatIdentity(request, reply)
      if (request.wechatUser === null) throw new ApiError('SCOPE_UPGRADE_REQUIRED')
    },
    viewOf(request) {
      const view = views.get(request)
      if (view === undefined) throw new Error('no auth hook ran for this request')
      return view
    },
    resolve,
  }
}
