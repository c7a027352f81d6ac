/**
 * `/api/me/subscription` and `/api/jssdk/config` (apps/bff README). Both are extras the page works
 * without, so they go through {@link quietApi}: a failure rejects the promise and nothing else.
 */
import type { JssdkConfigResponse, SubscriptionResponse } from '@wxauth/shared'
import { quietApi } from './client.js'

/** `GET /api/me/subscription`: does the signed-in user follow the Official Account? */
export function fetchSubscription(): Promise<SubscriptionResponse> {
  return quietApi<SubscriptionResponse>('/me/subscription')
}

/** `GET /api/jssdk/config?url=`: the `wx.config` signature for `url` (no `#fragment`). */
export function fetchJssdkConfig(url: string): Promise<JssdkConfigResponse> {
  return quietApi<JssdkConfigResponse>('/jssdk/config', { query: { url } })
}
