/**
 * The authorize link. WeChat matches it against a strict pattern: "如果链接的参数顺序不对，授权页面将
 * 无法正常访问", so the order is fixed (appid, redirect_uri, response_type, scope, state, then the
 * optional forcePopup), redirect_uri is encoded exactly once, and `#wechat_redirect` ends it.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 * @see docs/wechat.md#the-authorize-link
 */
import { SCOPES, STATE_PATTERN, type Scope } from '@wxauth/shared'
import { AUTHORIZE_PATH } from './constants.js'

export interface AuthorizeUrlOptions {
  /** Where WeChat sends the user back; absolute http(s) URL, no fragment (WeChat appends its query before it). */
  redirectUri: string
  scope: Scope
  /** `[A-Za-z0-9]{1,128}`: "开发者可以填写a-zA-Z0-9的参数值，最多128字节"; longer is an error page. */
  state: string
  /**
   * "强制此次授权需要用户弹窗确认" (no effect when WeChat's special silent rules apply). Placed after
   * state and before the fragment; anything after `#` would be ignored.
   */
  forcePopup?: boolean
}

/** Build the WeChat authorize URL; throws TypeError on a bad redirectUri, scope or state. */
export function buildAuthorizeUrl(
  openBase: string,
  appId: string,
  { redirectUri, scope, state, forcePopup }: AuthorizeUrlOptions,
): string {
  if (typeof redirectUri !== 'string' || redirectUri.includes('#')) {
    throw new TypeError(
      'redirectUri must not contain a fragment (#): WeChat appends code/state to the query',
    )
  }
  let parsed: URL
  try {
    parsed = new URL(redirectUri)
  } catch {
    throw new TypeError('redirectUri must be an absolute URL')
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError('redirectUri must be an http(s) URL')
  }
  if (!SCOPES.includes(scope)) {
    throw new TypeError(`scope must be one of ${SCOPES.join(', ')}`)
  }
  if (typeof state !== 'string' || !STATE_PATTERN.test(state)) {
    throw new TypeError('state must match [A-Za-z0-9]{1,128}')
  }
  // Built by hand, not with URLSearchParams: the order is part of the contract, and
  // encodeURIComponent is the one encoding WeChat documents for redirect_uri ("请使用 urlEncode").
  const query =
    `appid=${encodeURIComponent(appId)}` +
    `&redirect_uri=${encodeURIComponent(redirectUri)}` +
    `&response_type=code` +
    `&scope=${scope}` +
    `&state=${state}` +
    (forcePopup ? '&forcePopup=true' : '')
  return `${openBase}/${AUTHORIZE_PATH}?${query}#wechat_redirect`
}
