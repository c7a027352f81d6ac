/**
 * Where WeChat should send the user back to. The BFF builds `redirect_uri = PUBLIC_URL + returnTo`
 * and requires a same-origin relative path without `#`: WeChat appends `?code&state` *before* any
 * fragment, and a `#` in redirect_uri loses the query. So a hash-mode route travels as a query
 * parameter and is put back into the fragment when the page lands.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 * @see docs/wechat.md#the-callback
 */

/** Which vue-router history the app uses: `createWebHistory` or `createWebHashHistory`. */
export type RouterMode = 'history' | 'hash'

/** The query parameter that carries a hash-mode route through the WeChat round trip. */
export const ROUTE_PARAM = 'r'

/** Where the app is hosted, for {@link buildReturnTo}. */
export interface ReturnToContext {
  mode: RouterMode
  /** The router base (`/` by default). */
  base: string
  /** `location.pathname` of the page hosting the SPA (hash mode). */
  pathname: string
  /** `location.search` of that page (hash mode), kept so share parameters survive the trip. */
  search: string
}

/** A route path we are willing to restore: relative, one leading slash, no backslash tricks. */
export function isSafeRoutePath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !/[\\#]/.test(path)
}

/**
 * The `returnTo` for `GET /api/auth/authorize-url`, from the router's `fullPath` (path + query).
 * History mode: the base plus the route. Hash mode: the hosting page plus `?r=<route>`.
 */
export function buildReturnTo(fullPath: string, ctx: ReturnToContext): string {
  const route = fullPath.split('#')[0] || '/'
  if (ctx.mode === 'history') {
    return ctx.base.replace(/\/+$/, '') + (route.startsWith('/') ? route : '/' + route)
  }
  const query = new URLSearchParams(ctx.search)
  query.delete('code')
  query.delete('state')
  query.delete(ROUTE_PARAM)
  if (route !== '/' && isSafeRoutePath(route)) query.set(ROUTE_PARAM, route)
  const q = query.toString()
  const pathname = ctx.pathname.startsWith('/') ? ctx.pathname : '/'
  return pathname + (q ? '?' + q : '')
}

/**
 * The route the page shows now, as a router `fullPath`, for an app that never called
 * `setReturnPath()` (no router guard): history mode the path after the base plus the query, hash
 * mode the fragment's route (`location.hash`).
 */
export function currentRoutePath(ctx: ReturnToContext, hash: string): string {
  if (ctx.mode === 'hash') return isSafeRoutePath(hash.slice(1)) ? hash.slice(1) : '/'
  const base = ctx.base.replace(/\/+$/, '')
  const path = ctx.pathname.startsWith(base) ? ctx.pathname.slice(base.length) : ctx.pathname
  return (path.startsWith('/') ? path : '/' + path) + ctx.search
}

/**
 * Hash mode, when the page lands: move `?r=/route` back into the fragment (`/?r=%2Fme` →
 * `/#/me`). An existing hash route wins; an unsafe `r` is dropped. `href` must be absolute.
 */
export function restoreHashRoute(href: string): string {
  let url: URL
  try {
    url = new URL(href)
  } catch {
    return href
  }
  const route = url.searchParams.get(ROUTE_PARAM)
  if (route === null) return href
  url.searchParams.delete(ROUTE_PARAM)
  const hasHashRoute = url.hash !== '' && url.hash !== '#' && url.hash !== '#/'
  if (!hasHashRoute && isSafeRoutePath(route)) url.hash = route
  return url.toString()
}
