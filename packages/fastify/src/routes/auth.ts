/**
 * `{prefix}/auth`: start a login (state + authorize URL), log in explicitly with a code, log out
 * (docs/architecture.md#the-login-flow, steps 1 and 5).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AuthorizeUrlQuerySchema,
  AuthorizeUrlResponseSchema,
  MeResponseSchema,
  SessionRequestSchema,
} from '@wxauth/shared/schemas'
import Type from 'typebox'
import type { PluginContext } from '../context.js'
import { ApiError } from '../errors/api-error.js'
import { noStore } from '../http/no-store.js'
import { resolveReturnTo } from '../login/return-to.js'
import { generateState } from '../login/state.js'
import { ROUTE_ERRORS, errorResponses, success } from './schemas.js'

/** The largest `POST {prefix}/auth/session` body read. */
const SESSION_BODY_LIMIT = 4096

const authRoutes: FastifyPluginAsyncTypebox<{ ctx: PluginContext }> = async (app, { ctx }) => {
  const { settings, jar, hooks, wechat, stores, limits } = ctx
  // Every answer here is about this browser's login: never cached by a browser or a proxy. (The
  // protected routes get the same header from requireUser.)
  app.addHook('onRequest', noStore)
  // JSON only: a body in any other type (Fastify also reads text/plain) is 415 UNSUPPORTED_MEDIA_TYPE.
  app.removeContentTypeParser('text/plain')

  app.get(
    '/authorize-url',
    {
      // Each URL is a trip to WeChat, which shows 10009 (操作太频繁了) to a client that authorizes
      // too often: a looping page is stopped here first, per browser, with 429 RATE_LIMITED.
      // @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
      onRequest: limits.authorize,
      schema: {
        tags: ['auth'],
        summary: 'Start a login: a fresh state bound to this browser, and the WeChat authorize URL',
        description:
          'Sets the signed, httpOnly state cookie (10 minutes) that must come back with the code, ' +
          'on `POST …/auth/session` or as `X-WeChat-Code`/`X-WeChat-State` on a protected route. ' +
          'Send the browser to `url`; WeChat returns it to `returnTo` with `?code=…&state=…`. ' +
          'Rate-limited per browser and per client address (429, `Retry-After`).',
        querystring: AuthorizeUrlQuerySchema,
        response: {
          200: success(AuthorizeUrlResponseSchema, 'The authorize URL, and the state it carries'),
          ...errorResponses(ROUTE_ERRORS.authorizeUrl),
        },
      },
    },
    async (request, reply) => {
      const { returnTo = '/', scope = 'snsapi_base' } = request.query
      const redirectUri = resolveReturnTo(returnTo, settings.publicUrl)
      if (redirectUri === null) {
        throw new ApiError(
          'VALIDATION_ERROR',
          'returnTo must be a same-origin relative path like /me',
        )
      }
      const state = generateState()
      const url = wechat.buildAuthorizeUrl({ redirectUri, scope, state })
      // The browser id the per-browser limits count by, for this browser's next requests.
      jar.keepBrowserId(request, reply)
      jar.setState(reply, state, settings.now())
      ctx.metrics.authorizeUrl(scope)
      return { url, state }
    },
  )

  app.post(
    '/session',
    {
      // `{ code, state }` is ~200 bytes: anything much larger is not a login.
      bodyLimit: SESSION_BODY_LIMIT,
      schema: {
        tags: ['auth'],
        summary: 'Log in with the code WeChat handed back',
        description:
          'The explicit form of the header login: the same once-only exchange. Send the state cookie ' +
          '(`wxauth_state`) that `GET …/auth/authorize-url` set in this browser (403 ' +
          '`STATE_MISMATCH` without it), and `Content-Type: application/json`. ' +
          'Sets the session cookie. A code is single use and lives 5 minutes; the same code again ' +
          'answers the same session.',
        body: SessionRequestSchema,
        response: {
          200: success(
            MeResponseSchema,
            'Signed in: the user (null until a profile is stored) and the session',
          ),
          ...errorResponses(ROUTE_ERRORS.session),
        },
      },
    },
    async (request, reply) => {
      const view = await hooks.resolve(request, reply, request.body)
      return { user: view.user, session: view.info }
    },
  )

  app.post(
    '/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the session (server side) and clear the cookie',
        description: 'Fine without a session: a logout is always a 204.',
        response: {
          204: success(Type.Null(), 'Signed out'),
          ...errorResponses(ROUTE_ERRORS.logout),
        },
      },
    },
    async (request, reply) => {
      const key = jar.readSession(request)
      if (key !== null) await stores.repositories.sessions.delete(key.idHash)
      jar.clearSession(reply)
      return reply.status(204).send(null)
    },
  )
}

export default authRoutes
