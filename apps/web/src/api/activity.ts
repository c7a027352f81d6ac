/** `/api/activity`, the demo business (docs/architecture.md#the-bff-api), on the login's `api`. */
import type { ActivityResponse, JoinResponse } from '@wxauth/shared'
import type { WechatAuthApi } from '@wxauth/vue'

/** `GET /api/activity`: the activity, whether I joined, recent participants. */
export function fetchActivity(api: WechatAuthApi): Promise<ActivityResponse> {
  return api<ActivityResponse>('/activity')
}

/** `POST /api/activity/join`: needs `snsapi_userinfo` and a non-snapshot session. */
export function joinActivity(api: WechatAuthApi): Promise<JoinResponse> {
  return api<JoinResponse>('/activity/join', { method: 'POST' })
}
