/**
 * The two cookies the login sets, signed (HMAC-SHA256) with `cookieSecret`:
 * - `wxauth_sid`: the session id (43 url-safe characters). httpOnly, SameSite=Lax, Secure on https.
 * - `wxauth_state`: the OAuth state of the login in progress, 10 minutes.
 * Read from the `Cookie` header only where the login needs them (the `cookie` package parses it),
 * so the plugin adds no hook to the app's other requests and needs no cookie plugin; an app's own
 * @fastify/cookie, if any, works beside it unchanged.
 */
import { parseCookie, stringifySetCookie, type SerializeOptions } from 'cookie'
import { signerFactory } from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { STATE_PATTERN } from '@wxauth/shared'
import type { Settings } from '../options.js'
import { sessionKey, type SessionKey } from '../util/ids.js'
import { STATE_TTL_SECONDS } from '../login/state.js'

export const SESSION_COOKIE = 'wxauth_sid'
export const STATE_COOKIE = 'wxauth_state'
/** 43 url-safe characters (util/ids.ts). */
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/
/** A signed cookie longer than this is not one of ours: no HMAC is computed for it. */
const MAX_SIGNED_LENGTH = 512

export interface CookieJar {
  /** The session cookie as sent (signed, not yet verified), if any. */
  rawSession(request: FastifyRequest): string | undefined
  /** The session id (and its hash) of a signed cookie value, or null when the signature fails. */
  verifySession(raw: string): SessionKey | null
  /** The session id (and its hash) from a validly signed cookie, or null. */
  readSession(request: FastifyRequest): SessionKey | null
  /** Did the request carry a session cookie at all (valid or not)? */
  hasSessionCookie(request: FastifyRequest): boolean
  setSession(reply: FastifyReply, sessionId: string, expiresAt: number, now: number): void
  clearSession(reply: FastifyReply): void
  readState(request: FastifyRequest): string | null
  setState(reply: FastifyReply, state: string): void
  clearState(reply: FastifyReply): void
}

/** Build the jar for `settings`. */
export function createCookieJar(settings: Settings): CookieJar {
  const signer = signerFactory(settings.cookieSecret)
  const base: SerializeOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.secureCookies,
  }
  const parsed = new WeakMap<FastifyRequest, Record<string, string | undefined>>()

  function cookies(request: FastifyRequest): Record<string, string | undefined> {
    let found = parsed.get(request)
    if (found === undefined) {
      const header = request.headers.cookie
      found = header ? parseCookie(header) : {}
      parsed.set(request, found)
    }
    return found
  }

  function unsign(raw: string | undefined, pattern: RegExp): string | null {
    if (raw === undefined || raw.length > MAX_SIGNED_LENGTH) return null
    const result = signer.unsign(raw)
    if (!result.valid || result.value === null || !pattern.test(result.value)) return null
    return result.value
  }

  const readSigned = (request: FastifyRequest, name: string, pattern: RegExp) =>
    unsign(cookies(request)[name], pattern)

  function verifySession(raw: string): SessionKey | null {
    const id = unsign(raw, SESSION_ID_PATTERN)
    return id === null ? null : sessionKey(id)
  }

  function set(reply: FastifyReply, name: string, value: string, options: SerializeOptions): void {
    reply.header('set-cookie', stringifySetCookie({ name, value, ...base, ...options }))
  }

  const clear = (reply: FastifyReply, name: string) =>
    set(reply, name, '', { expires: new Date(0), maxAge: 0 })

  return {
    rawSession: (request) => cookies(request)[SESSION_COOKIE],
    verifySession,
    readSession(request) {
      const raw = cookies(request)[SESSION_COOKIE]
      return raw === undefined ? null : verifySession(raw)
    },
    hasSessionCookie: (request) => cookies(request)[SESSION_COOKIE] !== undefined,
    setSession(reply, sessionId, expiresAt, now) {
      set(reply, SESSION_COOKIE, signer.sign(sessionId), {
        maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)),
      })
    },
    clearSession: (reply) => clear(reply, SESSION_COOKIE),
    readState: (request) => readSigned(request, STATE_COOKIE, STATE_PATTERN),
    setState(reply, state) {
      set(reply, STATE_COOKIE, signer.sign(state), { maxAge: STATE_TTL_SECONDS })
    },
    clearState: (reply) => clear(reply, STATE_COOKIE),
  }
}
