/**
 * Reading and checking `GET /connect/oauth2/authorize` the way WeChat does, and building the
 * callback URL. Pure functions: the route decides what to render.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 */
import { checkRedirectUri, type MockApp } from './apps.js'
import { AUTHORIZE_PAGE_ERRORS, authorizeError, type AuthorizePageError } from './errors.js'
import type { OrderCheck } from './settings.js'
import type { GrantedScope } from './state.js'

/** A request that passed every check. */
export interface AuthorizeRequest {
  app: MockApp
  /** redirect_uri, decoded once. */
  redirectUri: string
  scope: GrantedScope
  /** `undefined` when the request had no `state` parameter. */
  state?: string
}

export type AuthorizeCheck =
  { ok: true; request: AuthorizeRequest } | { ok: false; error: AuthorizePageError }

/**
 * The documented order: "微信会对授权链接做正则强匹配校验，如果链接的参数顺序不对，授权页面将无法正常
 * 访问". Optional `state`, `forcePopup` (and the unverified `forceSnapShot`) follow `scope`.
 * Parameters WeChat does not know are skipped: a redirect_uri that was not URL-encoded spills its
 * own `&b=2` into the authorize query, and WeChat then simply loses it (https://cnblogs.com/init-007/p/12357867.html).
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 */
const PARAMETER_ORDER = [
  'appid',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'forcePopup',
  'forceSnapShot',
] as const

/**
 * state: "开发者可以填写a-zA-Z0-9的参数值，最多128字节"; longer gives "state参数过长"
 * (https://github.com/Jeff-Tian/keycloak-services-social-weixin/issues/37). Only the length is
 * enforced in practice: percent-encoded, non-alphanumeric states come back unchanged
 * (https://developers.weixin.qq.com/community/develop/doc/000a223bf048d8aa0c6a3948d5c800), so the
 * charset is checked only with `strictState`.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 */
const STATE_MAX_BYTES = 128
const STATE_CHARSET = /^[A-Za-z0-9]*$/

/** The switches of {@link checkAuthorizeQuery}. */
export interface AuthorizeRules {
  /** Refuse a state outside `[A-Za-z0-9]` (the documented rule; WeChat echoes it). */
  strictState: boolean
  orderCheck: OrderCheck
}

function inWechatOrder(search: URLSearchParams): boolean {
  const seen: string[] = []
  for (const key of search.keys()) {
    if ((PARAMETER_ORDER as readonly string[]).includes(key) && !seen.includes(key)) seen.push(key)
  }
  const positions = seen.map((key) => (PARAMETER_ORDER as readonly string[]).indexOf(key))
  return positions.every((position, i) => i === 0 || position > (positions[i - 1] ?? -1))
}

/** Does this link's parameter order matter? Only for `snsapi_userinfo`, unless told otherwise. */
function orderMatters(rule: OrderCheck, scope: string): boolean {
  if (rule === 'off') return false
  return rule === 'all' || scope === 'snsapi_userinfo'
}

/**
 * Check an authorize query (as sent, order intact). Order of checks: appid (10012/10016),
 * redirect_uri present (10011), scope present (10010), parameter order, response_type, scope
 * allowed (10005), state (too long; charset with `strictState`; 10013), redirect_uri usable,
 * port and domain (10003).
 */
export function checkAuthorizeQuery(
  search: URLSearchParams,
  apps: ReadonlyMap<string, MockApp>,
  rules: AuthorizeRules,
): AuthorizeCheck {
  const failure = (error: AuthorizePageError): AuthorizeCheck => ({ ok: false, error })
  const appid = search.get('appid')
  // An empty or misspelled appid both show "appid不能为空"
  // (https://developers.weixin.qq.com/community/personal/oCJUsw5c9rUy2nC1X_UwtGLBRB6E/question).
  if (!appid) return failure(authorizeError(10012))
  const app = apps.get(appid)
  if (!app) return failure(authorizeError(10012))
  if (app.openPlatformApp) return failure(authorizeError(10016))
  const redirectUri = search.get('redirect_uri')
  if (!redirectUri) return failure(authorizeError(10011))
  const scope = search.get('scope')
  if (!scope) return failure(authorizeError(10010))
  if (orderMatters(rules.orderCheck, scope) && !inWechatOrder(search)) {
    return failure(AUTHORIZE_PAGE_ERRORS.paramOrder)
  }
  if (search.get('response_type') !== 'code') return failure(AUTHORIZE_PAGE_ERRORS.responseType)
  const allowed = app.scopes ?? ['snsapi_base', 'snsapi_userinfo']
  if (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo') {
    return failure(authorizeError(10005))
  }
  if (!allowed.includes(scope)) return failure(authorizeError(10005))
  const state = search.get('state') ?? undefined
  if (state !== undefined && new TextEncoder().encode(state).length > STATE_MAX_BYTES) {
    return failure(AUTHORIZE_PAGE_ERRORS.stateTooLong)
  }
  if (rules.strictState && state !== undefined && !STATE_CHARSET.test(state)) {
    return failure(AUTHORIZE_PAGE_ERRORS.stateInvalid)
  }
  if (app.requireState && !state) return failure(authorizeError(10013))
  let url: URL
  try {
    url = new URL(redirectUri)
  } catch {
    return failure(AUTHORIZE_PAGE_ERRORS.redirectUriInvalid)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return failure(AUTHORIZE_PAGE_ERRORS.redirectUriInvalid)
  }
  const where = checkRedirectUri(app, url)
  if (where === 'port') return failure(AUTHORIZE_PAGE_ERRORS.redirectUriPort)
  if (where === 'domain') return failure(authorizeError(10003))
  const request: AuthorizeRequest = { app, redirectUri, scope }
  if (state !== undefined) request.state = state
  return { ok: true, request }
}

/**
 * The callback WeChat sends the browser to: redirect_uri parsed once, its query kept (and
 * re-serialised, as WeChat does), `params` appended in order, any fragment put back after the
 * query. `https://app.test/#/login` + code, state → `https://app.test/?code=…&state=…#/login`.
 * @see https://developers.weixin.qq.com/community/develop/doc/0000027f4d41608bd90c8a3a556000 (fragment)
 * @see https://qiyeweixin.apifox.cn/doc-417797 (existing query kept)
 */
export function callbackUrl(
  redirectUri: string,
  params: ReadonlyArray<readonly [string, string]>,
): string {
  const url = new URL(redirectUri)
  const fragment = url.hash
  url.hash = ''
  for (const [name, value] of params) url.searchParams.append(name, value)
  url.hash = fragment
  return url.href
}
