/**
 * Who is asking (docs/architecture.md#the-login-flow, step 5), for every protected route:
 * 1. a valid session cookie wins;
 * 2. a request that also (or only) carries `X-WeChat-Code` + `X-WeChat-State` has its state checked
 *    against the signed state cookie (403 STATE_MISMATCH before any cache lookup or WeChat call),
 *    then the code is exchanged once (login/code-exchange.ts) and the resulting session is set;
 * 3. neither → 401 AUTH_REQUIRED.
 * `requireUser` sets `request.wechatSession` and `request.wechatUser`; `requireProfile` also wants a
 * stored profile and no snapshot guest. Resolution runs once per request, however many hooks ask.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import {
  CODE_HEADER,
  CODE_PATTERN,
  STATE_HEADER,
  STATE_PATTERN,
  type WechatUser,
} from '@wxauth/shared'
import { ApiError } from '../errors/api-error.js'
import type { AuthContext, Login } from '../login/index.js'
import { stateMismatch, statesMatch } from '../login/state.js'
import { toWechatUser } from '../routes/dto.js'
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

export interface AuthHooks {
  requireUser: AuthHook
  requireProfile: AuthHook
  /** requireUser, and not a snapshot guest (who has only a virtual openid WeChat does not know). */
  requireWechatIdentity: AuthHook
  /** The signed-in state of a request after one of the hooks ran (throws if none ran). */
  contextOf(request: FastifyRequest): AuthContext
  /** Resolve a request's session with explicit credentials (the header path and the body path). */
  resolve(
    request: FastifyRequest,
    reply: FastifyReply,
    credentials: Credentials,
  ): Promise<AuthContext>
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value.join(',') : value
}

/** What a business route sees of the session. */
function toWechatSession(auth: AuthContext): WechatSession {
  const { session } = auth
  return {
    openid: session.openid,
    unionid: session.unionid,
    userId: session.userId,
    scope: session.scope,
    snapshot: session.snapshot,
    expiresAt: new Date(session.expiresAt),
  }
}

/** Build the hooks over the login and the cookie jar. */
export function createAuthHooks(login: Login, jar: CookieJar, now: () => number): AuthHooks {
  const contexts = new WeakMap<FastifyRequest, AuthContext>()

  function settle(request: FastifyRequest, auth: AuthContext): AuthContext {
    contexts.set(request, auth)
    request.wechatSession = toWechatSession(auth)
    const user: WechatUser | null =
      auth.user === null || auth.session.snapshot ? null : toWechatUser(auth.user)
    request.wechatUser = user
    return auth
  }

  async function resolve(
    request: FastifyRequest,
    reply: FastifyReply,
    { code, state }: Credentials,
  ): Promise<AuthContext> {
    const key = jar.readSession(request)
    const current = key === null ? null : await login.sessions.load(key)

    if (code === undefined) {
      if (current === null) {
        if (jar.hasSessionCookie(request)) jar.clearSession(reply)
        throw new ApiError('AUTH_REQUIRED')
      }
      return settle(request, current)
    }
    if (!CODE_PATTERN.test(code))
      throw new ApiError('VALIDATION_ERROR', 'The WeChat code is malformed')
    if (state === undefined) {
      throw new ApiError('VALIDATION_ERROR', 'A WeChat code must come with its state')
    }
    if (!STATE_PATTERN.test(state)) {
      throw new ApiError('VALIDATION_ERROR', 'The WeChat state is malformed')
    }
    if (current !== null) {
      // A code that already produced this very session changes nothing: no state needed, no call.
      const known = await login.cachedOutcome(code)
      if (known?.ok && known.sessionId === current.sessionId) return settle(request, current)
    }
    const expected = jar.readState(request)
    if (expected === null || !statesMatch(expected, state)) throw stateMismatch()
    const outcome = await login.exchangeOnce(code, state, current, request.log)
    if (!outcome.ok) throw new ApiError(outcome.code, outcome.message)
    const next = await login.sessions.load(sessionKey(outcome.sessionId))
    if (next === null) {
      throw new ApiError(
        'CODE_USED',
        'The login this code belonged to has ended; please log in again',
      )
    }
    jar.setSession(reply, next.sessionId, next.session.expiresAt, now())
    jar.clearState(reply)
    return settle(request, next)
  }

  async function requireUser(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (contexts.has(request)) return
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
    contextOf(request) {
      const auth = contexts.get(request)
      if (auth === undefined) throw new Error('no auth hook ran for this request')
      return auth
    },
    resolve,
  }
}
