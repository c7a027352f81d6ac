/**
 * The cookies the login sets, signed (HMAC-SHA256) with `cookieSecret`:
 * - `wxauth_sid`: the session id (43 url-safe characters). httpOnly, SameSite=Lax.
 * - `wxauth_state`: the OAuth state of the login in progress and when it was issued
 *   (`state.issuedAt`, both under the signature), 10 minutes (login/state-cookie.ts).
 * - `wxauth_bid`: a random browser id, one year: what the per-browser rate limits count by
 *   (http/rate-limits.ts). It identifies no one and is never stored; it only tells one browser's
 *   requests from another's behind a shared IP (an office, a campus, a carrier NAT).
 * When `publicUrl` is https every one of them is `Secure` and named with the `__Host-` prefix
 * (`__Host-wxauth_sid`…), which browsers accept only with Secure, `Path=/` and no `Domain`, so no
 * subdomain and no plain-http page can plant or overwrite them. A session set under the old name
 * (before the prefix) is still read, and moved to the prefixed name on its next request, so an
 * upgrade logs nobody out.
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#name-the-__host-prefix
 *
 * Read from the `Cookie` header only where the login needs them (the `cookie` package parses it),
 * so the plugin adds no hook to the app's other requests and needs no cookie plugin; an app's own
 * @fastify/cookie, if any, works beside it unchanged.
 */
import { parseCookie, stringifySetCookie, type SerializeOptions } from 'cookie'
import { signerFactory } from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { nanoid } from 'nanoid'
import type { Settings } from '../options.js'
import { sessionKey, type SessionKey } from '../util/ids.js'
import { requestState } from './request-state.js'
import {
  STATE_COOKIE_PATTERN,
  STATE_TTL_SECONDS,
  formatStateCookie,
  parseStateCookie,
  type StateCookie,
} from '../login/state-cookie.js'

/** The session cookie's name over http (over https: `__Host-` + this). */
export const SESSION_COOKIE = 'wxauth_sid'
/** The state cookie's name over http (over https: `__Host-` + this). */
export const STATE_COOKIE = 'wxauth_state'
/** The browser-id cookie's name over http (over https: `__Host-` + this). */
export const BROWSER_COOKIE = 'wxauth_bid'
/** Browsers keep a cookie at most 400 days (RFC 6265bis); a year is plenty to recognise a browser. */
export const BROWSER_ID_TTL_SECONDS = 365 * 86_400
/** 43 url-safe characters (util/ids.ts). */
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/
const BROWSER_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/
/** A signed cookie longer than this is not one of ours: no HMAC is computed for it. */
const MAX_SIGNED_LENGTH = 512

/** The names the jar reads and writes. */
export interface CookieNames {
  session: string
  state: string
  browser: string
  /** The pre-prefix session name, still read (https only; null over http). */
  legacySession: string | null
}

/** The cookie names for `settings`: `__Host-` prefixed over https. */
export function cookieNames(settings: Pick<Settings, 'secureCookies'>): CookieNames {
  const prefix = settings.secureCookies ? '__Host-' : ''
  return {
    session: prefix + SESSION_COOKIE,
    state: prefix + STATE_COOKIE,
    browser: prefix + BROWSER_COOKIE,
    legacySession: settings.secureCookies ? SESSION_COOKIE : null,
  }
}

export interface CookieJar {
  readonly names: CookieNames
  /** The session cookie as sent (signed, not yet verified), if any. */
  rawSession(request: FastifyRequest): string | undefined
  /** Did the session cookie come under the pre-`__Host-` name (to be moved)? */
  sessionIsLegacy(request: FastifyRequest): boolean
  /** The session id (and its hash) of a signed cookie value, or null when the signature fails. */
  verifySession(raw: string): SessionKey | null
  /** The session id (and its hash) from a validly signed cookie, or null. */
  readSession(request: FastifyRequest): SessionKey | null
  /** Did the request carry a session cookie at all (valid or not)? */
  hasSessionCookie(request: FastifyRequest): boolean
  setSession(reply: FastifyReply, sessionId: string, expiresAt: number, now: number): void
  clearSession(reply: FastifyReply): void
  /** The state and its issue time from a validly signed state cookie, or null (age unchecked). */
  readState(request: FastifyRequest): StateCookie | null
  setState(reply: FastifyReply, state: string, issuedAt: number): void
  clearState(reply: FastifyReply): void
  /** The browser id from a validly signed cookie, or null. */
  readBrowserId(request: FastifyRequest): string | null
  /** The browser id of the request: its cookie's, or a new one (the same for the whole request). */
  browserId(request: FastifyRequest): string
  /** Set the browser-id cookie when the request came without a valid one. */
  keepBrowserId(request: FastifyRequest, reply: FastifyReply): void
}

/** Build the jar for `settings`. */
export function createCookieJar(settings: Settings): CookieJar {
  const signer = signerFactory(settings.cookieSecret)
  const names = cookieNames(settings)
  const base: SerializeOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.secureCookies,
  }

  function cookies(request: FastifyRequest): Record<string, string | undefined> {
    const state = requestState(request)
    if (state.cookies === undefined) {
      const header = request.headers.cookie
      state.cookies = header ? parseCookie(header) : {}
    }
    return state.cookies
  }

  function unsign(raw: string | undefined, pattern: RegExp): string | null {
    if (raw === undefined || raw.length > MAX_SIGNED_LENGTH) return null
    const result = signer.unsign(raw)
    if (!result.valid || result.value === null || !pattern.test(result.value)) return null
    return result.value
  }

  function rawSession(request: FastifyRequest): string | undefined {
    const jar = cookies(request)
    return jar[names.session] ?? (names.legacySession ? jar[names.legacySession] : undefined)
  }

  const readBrowserId = (request: FastifyRequest) =>
    unsign(cookies(request)[names.browser], BROWSER_ID_PATTERN)

  function verifySession(raw: string): SessionKey | null {
    const id = unsign(raw, SESSION_ID_PATTERN)
    return id === null ? null : sessionKey(id)
  }

  function set(reply: FastifyReply, name: string, value: string, options: SerializeOptions): void {
    reply.header('set-cookie', stringifySetCookie({ name, value, ...base, ...options }))
  }

  const clear = (reply: FastifyReply, name: string) =>
    set(reply, name, '', { expires: new Date(0), maxAge: 0 })

  /** The old name is set without Secure/prefix rules: clear it the way it was set. */
  const clearLegacy = (reply: FastifyReply) => {
    if (names.legacySession) clear(reply, names.legacySession)
  }

  return {
    names,
    rawSession,
    sessionIsLegacy(request) {
      return (
        names.legacySession !== null &&
        cookies(request)[names.session] === undefined &&
        cookies(request)[names.legacySession] !== undefined
      )
    },
    verifySession,
    readSession(request) {
      const raw = rawSession(request)
      return raw === undefined ? null : verifySession(raw)
    },
    hasSessionCookie: (request) => rawSession(request) !== undefined,
    setSession(reply, sessionId, expiresAt, now) {
      set(reply, names.session, signer.sign(sessionId), {
        maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)),
      })
      clearLegacy(reply)
    },
    clearSession(reply) {
      clear(reply, names.session)
      clearLegacy(reply)
    },
    readState(request) {
      const value = unsign(cookies(request)[names.state], STATE_COOKIE_PATTERN)
      return value === null ? null : parseStateCookie(value)
    },
    setState(reply, state, issuedAt) {
      set(reply, names.state, signer.sign(formatStateCookie(state, issuedAt)), {
        maxAge: STATE_TTL_SECONDS,
      })
    },
    clearState: (reply) => clear(reply, names.state),
    readBrowserId,
    browserId(request) {
      // A browser id minted for a request that came without one: set once, read by later hooks.
      const state = requestState(request)
      return readBrowserId(request) ?? (state.mintedBrowserId ??= nanoid(22))
    },
    keepBrowserId(request, reply) {
      if (readBrowserId(request) !== null) return
      const id = (requestState(request).mintedBrowserId ??= nanoid(22))
      set(reply, names.browser, signer.sign(id), { maxAge: BROWSER_ID_TTL_SECONDS })
    },
  }
}
