/** `/api/activity`, the demo business (DESIGN.md §4). */
import type { ActivityResponse, JoinResponse } from '@wxauth/shared'
import { api } from './client.js'

/** `GET /api/activity`: the activity, whether I joined, recent participants. */
export function fetchActivity(): Promise<ActivityResponse> {
  return api<ActivityResponse>('/activity')
}

/** `POST /api/activity/join`: needs `snsapi_userinfo` and a non-snapshot session. */
export function joinActivity(): Promise<JoinResponse> {
  return api<JoinResponse>('/activity/join', { method: 'POST' })
}
