/**
 * `{baseURL}/auth/*`, as `@wxauth/fastify` answers them: a fresh state bound to the tab and the
 * (mock) authorize URL; the explicit exchange; logout.
 */
import { http, type HttpHandler } from 'msw'
import {
  AuthorizeUrlQuerySchema,
  AuthorizeUrlResponseSchema,
  MeResponseSchema,
  SessionRequestSchema,
} from '@wxauth/shared/schemas'
import { mockAuthorizeUrl } from '../authorize.js'
import { publicUser, randomBase62, resolveReturnTo, sessionInfo, STATE_LENGTH } from '../core.js'
import type { WechatAuthMock } from '../create-mock.js'
import { schemaProblems } from '../respond.js'

/** The query as Fastify reads it: each parameter once, `returnTo` defaulting to `/`. */
function authorizeQuery(url: URL): Record<string, string> {
  const query: Record<string, string> = { returnTo: '/' }
  for (const [key, value] of url.searchParams) query[key] = value
  return query
}

/** `GET /auth/authorize-url`, `POST /auth/session`, `POST /auth/logout`. */
export function authHandlers(mock: WechatAuthMock): HttpHandler[] {
  return [
    http.get(mock.path('/auth/authorize-url'), ({ request }) => {
      const url = new URL(request.url)
      const query = authorizeQuery(url)
      const problems = schemaProblems(AuthorizeUrlQuerySchema, query)
      if (problems.length > 0) return mock.error('VALIDATION_ERROR', `querystring${problems[0]}`)
      const redirectUri = resolveReturnTo(query.returnTo!, url.origin)
      if (redirectUri === null) {
        return mock.error(
          'VALIDATION_ERROR',
          'returnTo must be a same-origin relative path like /me',
        )
      }
      const scope = query.scope === 'snsapi_userinfo' ? 'snsapi_userinfo' : 'snsapi_base'
      const state = randomBase62(STATE_LENGTH)
      const authorizeUrl = mockAuthorizeUrl(url.origin, {
        appId: mock.appId,
        redirectUri,
        scope,
        state,
      })
      mock.update((data) => {
        data.stateCookie = { state, issuedAt: mock.now() } // the signed state cookie
      })
      return mock.json(AuthorizeUrlResponseSchema, { url: authorizeUrl, state })
    }),

    http.post(mock.path('/auth/session'), async ({ request }) => {
      let body: unknown
      try {
        body = await request.json()
      } catch {
        return mock.error('VALIDATION_ERROR', 'body must be JSON')
      }
      const problems = schemaProblems(SessionRequestSchema, body)
      if (problems.length > 0) return mock.error('VALIDATION_ERROR', `body${problems[0]}`)
      const result = mock.authenticate(request, body as { code: string; state: string })
      if (!result.ok) return mock.error(result.failure.code, result.failure.message)
      const { session, user } = result.value
      return mock.json(MeResponseSchema, {
        user: user && publicUser(user),
        session: sessionInfo(session),
      })
    }),

    // Fine without a session, as the real one: the session (if any) is deleted, the cookie cleared.
    http.post(mock.path('/auth/logout'), () => {
      mock.update((data) => {
        data.sessions = data.sessions.filter((s) => s.id !== data.cookie)
        data.cookie = null
      })
      return mock.noContent()
    }),
  ]
}
