/** `/api/auth/*` (DESIGN.md §4). */
import type { AuthorizeUrlQuery, AuthorizeUrlResponse } from '@wxauth/shared'
import { api } from './client.js'

/** `GET /api/auth/authorize-url`: a fresh state (bound to a cookie) and WeChat's authorize URL. */
export function getAuthorizeUrl(query: AuthorizeUrlQuery): Promise<AuthorizeUrlResponse> {
  return api<AuthorizeUrlResponse>('/auth/authorize-url', { query })
}

/** `POST /api/auth/logout`: ends the session and clears its cookie (204). */
export async function logout(): Promise<void> {
  await api('/auth/logout', { method: 'POST' })
}
