/**
 * `/api/me/subscription` and `/api/jssdk/config` (apps/bff README). Both are extras the page works
 * without, so they go through the login's `quietApi`: a failure rejects the promise and nothing
 * else.
 */
import type { JssdkConfigResponse, SubscriptionResponse } from '@wxauth/shared'
import type { QuietApi } from '@wxauth/vue'

/** `GET /api/me/subscription`: does the signed-in user follow the Official Account? */
export function fetchSubscription(api: QuietApi): Promise<SubscriptionResponse> {
  return api<SubscriptionResponse>('/me/subscription')
}

/** `GET /api/jssdk/config?url=`: the `wx.config` signature for `url` (no `#fragment`). */
export function fetchJssdkConfig(api: QuietApi, url: string): Promise<JssdkConfigResponse> {
  return api<JssdkConfigResponse>('/jssdk/config', { query: { url } })
}
