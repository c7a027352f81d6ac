/** `/api/me`: who is signed in, and a fresh profile on demand. DESIGN.md §4. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { RefreshResponseSchema } from '@wxauth/shared/schemas'
import {
  AuthHeadersSchema,
  errorResponses,
  MeResponseSerializedSchema,
  sessionSecurity,
  toSessionInfo,
  toWechatUser,
} from '../schemas.js'

const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('preHandler', app.authenticate)

  app.get(
    '',
    {
      schema: {
        tags: ['me'],
        summary:
          'The current user (null for a first snsapi_base login or a snapshot guest) and session',
        headers: AuthHeadersSchema,
        security: sessionSecurity,
        response: { 200: MeResponseSerializedSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { user, session } = request.auth!
      return { user: user ? toWechatUser(user) : null, session: toSessionInfo(session) }
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
      const user = await app.login.refreshProfile(request.auth!)
      return { user: toWechatUser(user) }
    },
  )
}

export default meRoutes
