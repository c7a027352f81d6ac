/** `/api/me` (DESIGN.md §4). */
import type { MeResponse, RefreshResponse } from '@wxauth/shared'
import { api } from './client.js'

/** `GET /api/me`: the current user (null before a profile is known) and session facts. */
export function fetchMe(): Promise<MeResponse> {
  return api<MeResponse>('/me')
}

/** `POST /api/me/refresh`: pull the profile from WeChat again. */
export function refreshMe(): Promise<RefreshResponse> {
  return api<RefreshResponse>('/me/refresh', { method: 'POST' })
}
