/**
 * Step 3 of DESIGN.md §3, run by main.ts *before* the router exists: read WeChat's `code`/`state`,
 * keep them in memory, remember the entry URL and clean the address bar, so the router never sees a
 * code and a reload, back or share never replays one.
 */
import { parseAuthParams, stripAuthParams, type AuthParams } from '@wxauth/shared'
import { ROUTER_MODE, type RouterMode } from '../config.js'
import { setEntryUrl } from '../auth/entry-url.js'
import { setPendingCode } from '../auth/pending-code.js'
import { restoreHashRoute } from '../auth/return-to.js'

/**
 * `code`/`state` of the current page. Reads the query *before* the hash (where WeChat puts them,
 * even in a hash-router app), not `href.split('?')`, which would swallow `#/route`.
 */
export function getUrlQueryString(href: string = window.location.href): AuthParams {
  return parseAuthParams(href)
}

/** What the landing URL said about the login. */
export interface LandingOutcome {
  /** The page came back from WeChat with a code: the API client will send it. */
  hasCode: boolean
  /**
   * A `state` and no `code`: the user tapped 拒绝 on the consent page (WeChat's documented
   * state-only deny). Show the cancelled screen; never redirect again by itself.
   * @see https://developers.weixin.qq.com/doc/oplatform/en/Third-party_Platforms/2.0/api/Before_Develop/Official_Accounts/official_account_website_authorization.html
   */
  cancelled: boolean
}

/** The bits of `window` boot touches (injectable for tests). */
export interface BootWindow {
  location: { href: string }
  history: Pick<History, 'state' | 'replaceState'>
}

/** Read and clean the landing URL. Call once, before `createRouter`. */
export function bootAuth(win: BootWindow = window, mode: RouterMode = ROUTER_MODE): LandingOutcome {
  const href = win.location.href
  const { code, state } = getUrlQueryString(href)
  setEntryUrl(href)
  setPendingCode(code === undefined ? null : { code, ...(state === undefined ? {} : { state }) })

  let clean = stripAuthParams(href)
  if (mode === 'hash') clean = restoreHashRoute(clean)
  if (clean !== href) win.history.replaceState(win.history.state, '', clean)

  return { hasCode: code !== undefined, cancelled: code === undefined && state !== undefined }
}
