/**
 * The parts of the browser a `createWechatAuth()` instance touches. Passed in (the `window`
 * option) so tests and non-browser hosts can run it against a stand-in; the real `window` has them
 * all.
 */

import { DEV } from './dev.js'

/** What the instance reads from and does to the page. */
export interface AuthWindow {
  location: {
    readonly href: string
    readonly pathname: string
    readonly search: string
    readonly hash: string
    /** Leave for WeChat's authorize page. */
    assign(url: string): void
  }
  history: Pick<History, 'state' | 'replaceState'>
  navigator: { readonly userAgent: string }
  /** Keeps the loop guard's count across the round trip to WeChat (absent or throwing: memory). */
  readonly sessionStorage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null
  /** Tells a page reached with back/forward (Navigation Timing). */
  readonly performance?: Pick<Performance, 'getEntriesByType'>
  addEventListener(type: 'pageshow', listener: (event: PageTransitionEvent) => void): void
  removeEventListener(type: 'pageshow', listener: (event: PageTransitionEvent) => void): void
}

/** The real `window`, or an error that says what to pass where there is none (Node, SSR). */
export function browserWindow(): AuthWindow {
  if (DEV && typeof window === 'undefined') {
    throw new Error(
      '[@wxauth/vue] createWechatAuth() needs a browser window; outside one pass the `window` option',
    )
  }
  return window
}

/** `sessionStorage`, or `null` where reading it throws (storage disabled, private mode). */
export function sessionStorageOf(win: AuthWindow): AuthWindow['sessionStorage'] {
  try {
    return win.sessionStorage || null
  } catch {
    return null
  }
}

/** The navigation type of the current document (`navigate`, `reload`, `back_forward`…). */
export function navigationTypeOf(win: AuthWindow): string | undefined {
  try {
    const [entry] = win.performance!.getEntriesByType('navigation')
    return (entry as PerformanceNavigationTiming).type
  } catch {
    return undefined // no Navigation Timing: an ordinary navigation
  }
}
