/**
 * The URL the page landed on, read once when `createWechatAuth()` runs, *before* the router
 * exists: WeChat's `code`/`state` are taken into memory and removed from the address bar, so the
 * router never sees a code and a reload, back or share never replays one.
 * @see docs/architecture.md#the-login-flow
 */
import { parseAuthParams, stripAuthParams, type AuthParams } from '@wxauth/shared'
import { restoreHashRoute, type RouterMode } from './return-to.js'
import type { AuthWindow } from './window.js'

/** The WeChat `code`/`state` the page landed with, held in memory only (never storage, never the URL). */
export interface PendingCode {
  code: string
  /** Absent when WeChat returned no state (it echoes only what the authorize URL carried). */
  state?: string
}

/** What the landing URL said about the login. */
export interface Landing {
  /** The code to forward until a request succeeds; `null` without one. */
  pending: PendingCode | null
  /**
   * The URL the page was entered with, without its fragment (and possibly still with the used
   * code): iOS WeChat signs JS-SDK requests against it, not the current route.
   * @see https://developers.weixin.qq.com/doc/service/guide/h5/jssdk.html
   */
  entryUrl: string
  /**
   * A `state` and no `code`: the user tapped 拒绝 on the consent page (WeChat's documented
   * state-only deny). Show the cancelled screen; never redirect again by itself.
   * @see https://developers.weixin.qq.com/doc/oplatform/en/Third-party_Platforms/2.0/api/Before_Develop/Official_Accounts/official_account_website_authorization.html
   */
  cancelled: boolean
  /** The `state` WeChat came back with (with a code, or alone on a cancel); `null` without one. */
  state: string | null
}

/**
 * `code`/`state` of a page. Reads the query *before* the hash (where WeChat puts them, even in a
 * hash-router app), not `href.split('?')`, which would swallow `#/route`.
 */
export function getUrlQueryString(href: string): AuthParams {
  return parseAuthParams(href)
}

/** Read and clean the landing URL (`history.replaceState`, keeping the router's `history.state`). */
export function readLanding(
  win: Pick<AuthWindow, 'location' | 'history'>,
  mode: RouterMode,
): Landing {
  const href = win.location.href
  const { code, state } = getUrlQueryString(href)

  let clean = stripAuthParams(href)
  if (mode === 'hash') clean = restoreHashRoute(clean)
  if (clean !== href) win.history.replaceState(win.history.state, '', clean)

  return {
    pending: code === undefined ? null : { code, ...(state === undefined ? {} : { state }) },
    entryUrl: href.replace(/#[\s\S]*$/, ''),
    cancelled: code === undefined && state !== undefined,
    state: state ?? null,
  }
}
