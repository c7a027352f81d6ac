/**
 * What the state cookie carries: the state and the time it was issued, `state.issuedAt` (epoch ms),
 * both under the cookie's signature (http/cookies.ts). The cookie's Max-Age only asks the browser to
 * forget it; the age is checked here, on the server, so a copied cookie stops working after
 * STATE_TTL_MS whatever the client does with it. Each state is also good for one exchange only
 * (login/code-exchange.ts, `usedStates`).
 * @see docs/architecture.md#the-login-flow
 */

/** Long enough for a consent page and a slow network; a code itself only lives 5 minutes. */
export const STATE_TTL_SECONDS = 600
export const STATE_TTL_MS = STATE_TTL_SECONDS * 1000
/**
 * How far in the future an issue time may be: another instance's clock may run slightly ahead.
 * Beyond that the cookie was not made by us.
 */
export const STATE_CLOCK_SKEW_MS = 60_000

/** `[A-Za-z0-9]{1,128}` (WeChat's rule for state), a dot, an epoch-ms issue time. */
export const STATE_COOKIE_PATTERN = /^[A-Za-z0-9]{1,128}\.[0-9]{1,15}$/

/** A state cookie's content. */
export interface StateCookie {
  state: string
  issuedAt: number
}

/** The cookie value (before signing) for `state` issued at `issuedAt`. */
export function formatStateCookie(state: string, issuedAt: number): string {
  return `${state}.${Math.floor(issuedAt)}`
}

/** The content of a verified cookie value (it matched STATE_COOKIE_PATTERN). */
export function parseStateCookie(value: string): StateCookie {
  const dot = value.lastIndexOf('.')
  return { state: value.slice(0, dot), issuedAt: Number(value.slice(dot + 1)) }
}

/** Is a state issued at `issuedAt` still good at `now`? */
export function stateIsFresh(issuedAt: number, now: number): boolean {
  return issuedAt <= now + STATE_CLOCK_SKEW_MS && now - issuedAt <= STATE_TTL_MS
}
