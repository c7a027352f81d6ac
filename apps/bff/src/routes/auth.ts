/**
 * `/api/auth`: start a login (state + authorize URL), log in explicitly with a code, log out.
 * DESIGN.md §3 steps 1 and 5, §4.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AuthorizeUrlQuerySchema,
  AuthorizeUrlResponseSchema,
  SessionRequestSchema,
} from '@wxauth/shared/schemas'
import Type from 'typebox'
import type { Config } from '../config.js'
import { AppError } from '../errors.js'
import {
  errorResponses,
  MeResponseSerializedSchema,
  toSessionInfo,
  toWechatUser,
} from '../schemas.js'
import { resolveReturnTo } from '../services/return-to.js'
import { generateState } from '../services/state.js'

export interface AuthRoutesOptions {
  config: Config
}

const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, { config }) => {
  app.get(
    '/authorize-url',
    {
      // Each URL is a trip to WeChat, which shows 10009 (操作太频繁了) to a client that authorizes
      // too often: a looping page is stopped here first, with 429 RATE_LIMITED.
      // @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
      ...(config.authRateLimit > 0
        ? { config: { rateLimit: { max: config.authRateLimit, timeWindow: 60_000 } } }
        : {}),
      schema: {
        tags: ['auth'],
        summary: 'A fresh state (bound to this browser by a cookie) and the WeChat authorize URL',
        querystring: AuthorizeUrlQuerySchema,
        response: { 200: AuthorizeUrlResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { returnTo, scope = 'snsapi_base' } = request.query
      const redirectUri = resolveReturnTo(returnTo, config.publicUrl)
      if (redirectUri === null) {
        throw new AppError(
          'VALIDATION_ERROR',
          'returnTo must be a same-origin relative path like /me',
        )
      }
      const state = generateState()
      const url = app.wechat.buildAuthorizeUrl({ redirectUri, scope, state })
      app.cookieJar.setState(reply, state)
      return { url, state }
    },
  )

  app.post(
    '/session',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Log in with the code WeChat handed back (the same once-only exchange as the headers)',
        body: SessionRequestSchema,
        response: { 200: MeResponseSerializedSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = await app.resolveAuth(request, reply, request.body)
      return {
        user: auth.user ? toWechatUser(auth.user) : null,
        session: toSessionInfo(auth.session),
      }
    },
  )

  app.post(
    '/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the session (server side) and clear the cookie; fine without a session',
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const key = app.cookieJar.readSession(request)
      if (key !== null) await app.stores.sessions.delete(key.idHash)
      app.cookieJar.clearSession(reply)
      return reply.status(204).send(null)
    },
  )
}

export default authRoutes
