/**
 * `{baseURL}/me/subscription` (the plugin's `subscription` option): does the signed-in user follow
 * the Official Account? The persona says (`follower` does). Snapshot guests: 403 SNAPSHOT_USER.
 */
import { http, type HttpHandler } from 'msw'
import type { SubscriptionResponse } from '@wxauth/shared'
import { SubscriptionResponseSchema } from '@wxauth/shared/schemas'
import type { WechatAuthMock } from '../create-mock.js'
import { mockPersona } from '../personas.js'

/** `GET /me/subscription`. */
export function subscriptionHandlers(mock: WechatAuthMock, accountQrUrl?: string): HttpHandler[] {
  return [
    http.get(
      mock.path('/me/subscription'),
      mock.requireWechatIdentity(({ session }) => {
        if (mock.state().scenario === 'unavailable') return mock.error('WECHAT_UNAVAILABLE')
        const persona = mockPersona(session.persona)
        let body: SubscriptionResponse = { subscribed: false }
        if (persona.subscribed) {
          body = { subscribed: true }
          if (persona.subscribeTime !== undefined) {
            body.subscribeTime = new Date(persona.subscribeTime * 1000).toISOString()
          }
          if (persona.subscribeScene !== undefined) body.subscribeScene = persona.subscribeScene
        } else if (accountQrUrl !== undefined) {
          body.qrCodeUrl = accountQrUrl
        }
        return mock.json(SubscriptionResponseSchema, body)
      }),
    ),
  ]
}
