/**
 * The mock's WeChat authorize page: where `GET /auth/authorize-url` sends the page, on the page's
 * own origin (a service worker sees requests, not top-level navigations, so the page is served by
 * the Vite plugin, vite.ts, and drawn by consent-page.ts). What it answers follows WeChat: a silent
 * redirect for `snsapi_base`, a consent page for `snsapi_userinfo`, `code` then `state` appended to
 * redirect_uri's query. Two scenarios change it: `snapshot` signs every login in as the snapshot
 * persona, and `cancelled` declines every login, the silent ones included (WeChat never asks about
 * `snsapi_base`; declining it too puts the cancelled screen one URL away).
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 */
import { SCOPES, type Scope } from '@wxauth/shared'
import { randomBase62 } from './core.js'
import { MOCK_AUTHORIZE_PATH } from './paths.js'
import { isMockPersonaId, type MockPersonaId } from './personas.js'
import type { MockData } from './state.js'

export { MOCK_AUTHORIZE_PATH }

/** What an authorize URL asks for. */
export interface MockAuthorizeRequest {
  appId: string
  redirectUri: string
  scope: Scope
  state: string
}

/**
 * The authorize URL for a login, in the parameter order WeChat demands (`appid, redirect_uri,
 * response_type, scope, state`) and with the `#wechat_redirect` it requires.
 */
export function mockAuthorizeUrl(origin: string, request: MockAuthorizeRequest): string {
  const query = [
    `appid=${encodeURIComponent(request.appId)}`,
    `redirect_uri=${encodeURIComponent(request.redirectUri)}`,
    'response_type=code',
    `scope=${request.scope}`,
    `state=${encodeURIComponent(request.state)}`,
  ].join('&')
  return `${origin}${MOCK_AUTHORIZE_PATH}?${query}#wechat_redirect`
}

/** Read an authorize URL; a string says what is wrong with it (the page shows it, WeChat-style). */
export function parseAuthorizeUrl(href: string, appId: string): MockAuthorizeRequest | string {
  let url: URL
  try {
    url = new URL(href)
  } catch {
    return '链接无效'
  }
  const q = url.searchParams
  const scope = q.get('scope')
  const redirectUri = q.get('redirect_uri') ?? ''
  const state = q.get('state') ?? ''
  if (q.get('appid') !== appId) return `appid 不是 ${appId}（10016）`
  if (scope === null || !(SCOPES as readonly string[]).includes(scope))
    return 'scope 参数错误（10005）'
  let target: URL
  try {
    target = new URL(redirectUri)
  } catch {
    return 'redirect_uri 参数错误'
  }
  // WeChat only returns to the account's authorised domain: here, the page's own origin.
  if (target.origin !== url.origin) return 'redirect_uri 域名与后台配置不一致（10003）'
  return { appId, redirectUri, scope: scope as Scope, state }
}

/** `redirect_uri` with `code` (unless declined) and `state` appended to its query. */
function callback(redirectUri: string, code: string | null, state: string): string {
  const params = [...(code === null ? [] : [`code=${code}`]), `state=${encodeURIComponent(state)}`]
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${params.join('&')}`
}

/** What the user decided on the consent page. */
export interface ConsentDecision {
  action: 'allow' | 'deny'
  persona?: MockPersonaId
}

/** What the authorize page does before anyone taps. */
export type ConsentStep =
  /** Answer without a page: silent login, or the `cancelled` scenario's decline. */
  | { kind: 'redirect'; location: string }
  /** Show the consent page with this persona preselected. */
  | { kind: 'page'; request: MockAuthorizeRequest; persona: MockPersonaId }
  /** A WeChat-style error page: no redirect ever follows. */
  | { kind: 'error'; message: string }

/** Hand out a code for the persona (or decline) and say where the page goes. */
export function decide(
  data: MockData,
  request: MockAuthorizeRequest,
  decision: ConsentDecision,
  now: number,
): string {
  if (decision.action === 'deny' || data.scenario === 'cancelled') {
    // The documented decline: back with `state` only.
    return callback(request.redirectUri, null, request.state)
  }
  const chosen = isMockPersonaId(decision.persona) ? decision.persona : data.persona
  // As the simulator: the persona chosen last is who the next silent login signs in as.
  data.persona = chosen
  const persona: MockPersonaId = data.scenario === 'snapshot' ? 'snapshot' : chosen
  const code = randomBase62(32)
  data.codes[code] = { persona, scope: request.scope, issuedAt: now }
  return callback(request.redirectUri, code, request.state)
}

/** The first step of the authorize page for `href`. */
export function consentStep(data: MockData, href: string, appId: string, now: number): ConsentStep {
  const request = parseAuthorizeUrl(href, appId)
  if (typeof request === 'string') return { kind: 'error', message: request }
  if (data.scenario === 'cancelled') {
    return { kind: 'redirect', location: decide(data, request, { action: 'deny' }, now) }
  }
  if (request.scope === 'snsapi_base') {
    // "静默授权": no page; the current persona is who logs in.
    return { kind: 'redirect', location: decide(data, request, { action: 'allow' }, now) }
  }
  return { kind: 'page', request, persona: data.persona }
}
