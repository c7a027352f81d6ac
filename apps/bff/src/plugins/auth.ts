/**
 * The auth hook of DESIGN.md §3 step 5, for `/api` business routes:
 * 1. a valid session cookie wins;
 * 2. a request that also (or only) carries `X-WeChat-Code` + `X-WeChat-State` has its state checked
 *    against the signed state cookie (403 STATE_MISMATCH before any cache lookup or WeChat call),
 *    then the code is exchanged once (services/login.ts) and the resulting session is set;
 * 3. neither → 401 AUTH_REQUIRED.
 * Decorates `request.auth`, and offers the route guards `requireUserinfo` and `requireNotSnapshot`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { CODE_HEADER, CODE_PATTERN, STATE_HEADER, STATE_PATTERN } from '@wxauth/shared'
import type { Config } from '../config.js'
import { AppError } from '../errors.js'
import { createLoginService, type AuthContext, type LoginService } from '../services/login.js'
import { sessionKey } from '../services/ids.js'
import { stateMismatch, statesMatch } from '../services/state.js'
import { createTokenVault } from '../services/token-vault.js'

/** A code and state to log in with: from the headers, or from `POST /api/auth/session`'s body. */
export interface Credentials {
  code?: string | undefined
  state?: string | undefined
}

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

declare module 'fastify' {
  interface FastifyInstance {
    login: LoginService
    /** preHandler: resolve the session (cookie, else code + state) or fail with 401. */
    authenticate: Guard
    /** Resolve the session of a request with explicit credentials (the header path and the body path). */
    resolveAuth(
      request: FastifyRequest,
      reply: FastifyReply,
      credentials: Credentials,
    ): Promise<AuthContext>
    /** preHandler after `authenticate`: the session must know the user's profile (snsapi_userinfo). */
    requireUserinfo: Guard
    /** preHandler after `authenticate`: snapshot-page guests may read, never write. */
    requireNotSnapshot: Guard
  }
  interface FastifyRequest {
    auth: AuthContext | null
  }
}

export interface AuthPluginOptions {
  config: Config
  now: () => number
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value.join(',') : value
}

export default fp<AuthPluginOptions>(
  async (app, { config, now }) => {
    const login = createLoginService({
      config,
      now,
      wechat: app.wechat,
      stores: app.stores,
      vault: createTokenVault(config.cookieSecret),
    })
    const jar = app.cookieJar
    app.decorate('login', login)
    app.decorateRequest('auth', null)

    async function resolveAuth(
      request: FastifyRequest,
      reply: FastifyReply,
      { code, state }: Credentials,
    ): Promise<AuthContext> {
      const key = jar.readSession(request)
      const current = key === null ? null : await login.loadSession(key)

      if (code === undefined) {
        if (current === null) {
          if (jar.hasSessionCookie(request)) jar.clearSession(reply)
          throw new AppError('AUTH_REQUIRED', 'Please log in with WeChat')
        }
        request.auth = current
        return current
      }
      if (!CODE_PATTERN.test(code)) {
        throw new AppError('VALIDATION_ERROR', 'The WeChat code is malformed')
      }
      if (state === undefined) {
        throw new AppError('VALIDATION_ERROR', 'A WeChat code must come with its state')
      }
      if (!STATE_PATTERN.test(state)) {
        throw new AppError('VALIDATION_ERROR', 'The WeChat state is malformed')
      }
      if (current !== null) {
        // A code that already produced this very session changes nothing: no state needed, no call.
        const known = await login.cachedOutcome(code)
        if (known?.ok && known.sessionId === current.sessionId) {
          request.auth = current
          return current
        }
      }
      const expected = jar.readState(request)
      if (expected === null || !statesMatch(expected, state)) throw stateMismatch()
      const outcome = await login.exchangeOnce(code, state, current, request.log)
      if (!outcome.ok) throw new AppError(outcome.code, outcome.message)
      const next = await login.loadSession(sessionKey(outcome.sessionId))
      if (next === null) {
        throw new AppError(
          'CODE_USED',
          'The login this code belonged to has ended; please log in again',
        )
      }
      jar.setSession(reply, next.sessionId, next.session.expiresAt, now())
      jar.clearState(reply)
      request.auth = next
      return next
    }

    app.decorate('resolveAuth', resolveAuth)
    app.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
      await resolveAuth(request, reply, {
        code: header(request, CODE_HEADER),
        state: header(request, STATE_HEADER),
      })
    })
    app.decorate('requireNotSnapshot', async (request: FastifyRequest) => {
      if (request.auth?.session.snapshot) {
        throw new AppError('SNAPSHOT_USER', 'Snapshot-page visitors can look but not take part')
      }
    })
    app.decorate('requireUserinfo', async (request: FastifyRequest) => {
      if (!request.auth?.user) {
        throw new AppError(
          'SCOPE_UPGRADE_REQUIRED',
          'This needs permission to read your WeChat profile',
        )
      }
    })
  },
  { name: 'wxauth-auth', dependencies: ['wxauth-stores', 'wxauth-wechat', 'wxauth-session'] },
)
