/** `{baseURL}/me`: who is signed in, and a fresh profile on demand. */
import { http, type HttpHandler } from 'msw'
import { MeResponseSchema, RefreshResponseSchema } from '@wxauth/shared/schemas'
import { publicUser, sessionInfo, upsertProfile } from '../core.js'
import type { WechatAuthMock } from '../create-mock.js'

/** `GET /me`, `POST /me/refresh`. */
export function meHandlers(mock: WechatAuthMock): HttpHandler[] {
  return [
    http.get(
      mock.path('/me'),
      mock.requireUser(({ session, wechatUser }) =>
        mock.json(MeResponseSchema, { user: wechatUser, session: sessionInfo(session) }),
      ),
    ),

    http.post(
      mock.path('/me/refresh'),
      mock.requireUser(({ session }) => {
        // As `profile-refresh.ts`: guests have no profile, a base session may not read one.
        if (session.snapshot) return mock.error('SNAPSHOT_USER')
        if (session.scope !== 'snsapi_userinfo') return mock.error('SCOPE_UPGRADE_REQUIRED')
        if (mock.state().scenario === 'unavailable') return mock.error('WECHAT_UNAVAILABLE')
        const user = mock.update((data) =>
          upsertProfile(data, session.persona, mock.appId, mock.now()),
        )
        return mock.json(RefreshResponseSchema, { user: publicUser(user) })
      }),
    ),
  ]
}
