/** `{prefix}/me`: who is signed in, and a fresh profile on demand. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { MeResponseSchema, RefreshResponseSchema } from '@wxauth/shared/schemas'
import type { PluginContext } from '../context.js'
import { withRequestLog } from '../http/request-context.js'
import { toWechatUser } from './dto.js'
import {
  AuthHeadersSchema,
  ROUTE_ERRORS,
  errorResponses,
  sessionSecurity,
  success,
} from './schemas.js'

const meRoutes: FastifyPluginAsyncTypebox<{ ctx: PluginContext }> = async (app, { ctx }) => {
  const { hooks, login } = ctx
  app.addHook('preHandler', hooks.requireUser)

  app.get(
    '',
    {
      schema: {
        tags: ['me'],
        summary: 'The signed-in user and session',
        description:
          '`user` is null for a first silent (`snsapi_base`) login and for a snapshot-page guest. ' +
          'Logs in on the way with `X-WeChat-Code`/`X-WeChat-State` and the state cookie.',
        headers: AuthHeadersSchema,
        security: sessionSecurity,
        response: {
          200: success(MeResponseSchema, 'The user (or null) and the session facts'),
          ...errorResponses(ROUTE_ERRORS.me),
        },
      },
    },
    // The body was serialized once per view (http/auth-hooks.ts): a JSON string with a JSON
    // content type goes out as it is, which the typed reply cannot express. Sync, as its hook:
    // no promise on the hot path.
    (request, reply) => {
      reply.type('application/json; charset=utf-8').send(hooks.viewOf(request).meJson as never)
    },
  )

  app.post(
    '/refresh',
    {
      schema: {
        tags: ['me'],
        summary: 'Re-pull the WeChat profile',
        description:
          'Calls `sns/userinfo`, refreshing the web access token first when it has expired. Needs a ' +
          '`snsapi_userinfo` session (403 `SCOPE_UPGRADE_REQUIRED`); a dead refresh token (30 days) ' +
          'answers 401 `REAUTH_REQUIRED`.',
        headers: AuthHeadersSchema,
        security: sessionSecurity,
        response: {
          200: success(RefreshResponseSchema, 'The fresh profile, stored'),
          ...errorResponses(ROUTE_ERRORS.refresh),
        },
      },
    },
    async (request) => {
      const { auth } = hooks.viewOf(request)
      const user = await withRequestLog(request.log, () => login.refreshProfile(auth))
      return { user: toWechatUser(user) }
    },
  )
}

export default meRoutes
