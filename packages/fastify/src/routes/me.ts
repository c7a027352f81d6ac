/** `{prefix}/me`: who is signed in, and a fresh profile on demand. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { MeResponseSchema, RefreshResponseSchema } from '@wxauth/shared/schemas'
import type { PluginContext } from '../context.js'
import { withRequestLog } from '../http/request-context.js'
import { toWechatUser } from './dto.js'
import { AuthHeadersSchema, errorResponses, sessionSecurity } from './schemas.js'

const meRoutes: FastifyPluginAsyncTypebox<{ ctx: PluginContext }> = async (app, { ctx }) => {
  const { hooks, login } = ctx
  app.addHook('preHandler', hooks.requireUser)

  app.get(
    '',
    {
      schema: {
        tags: ['me'],
        summary:
          'The current user (null for a first snsapi_base login or a snapshot guest) and session',
        headers: AuthHeadersSchema,
        security: sessionSecurity,
        response: { 200: MeResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const view = hooks.viewOf(request)
      return { user: view.user, session: view.info }
    },
  )

  app.post(
    '/refresh',
    {
      schema: {
        tags: ['me'],
        summary: 'Re-pull the WeChat profile, refreshing the web token if it has expired',
        headers: AuthHeadersSchema,
        security: sessionSecurity,
        response: { 200: RefreshResponseSchema, ...errorResponses },
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
