/**
 * The two cookies the login sets, signed (HMAC-SHA256) with `cookieSecret` by a signer of its own, so
 * an app's own @fastify/cookie secret, if it has one, plays no part:
 * - `wxauth_sid`: the session id (43 url-safe characters). httpOnly, SameSite=Lax, Secure on https.
 * - `wxauth_state`: the OAuth state of the login in progress, 10 minutes.
 * Cookies are parsed by @fastify/cookie: registered here unless the app already has it.
 */
import fastifyCookie, { type CookieSerializeOptions } from '@fastify/cookie'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
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

/** Make sure `app` parses cookies, and build the jar. */
export async function createCookieJar(
  app: FastifyInstance,
  settings: Settings,
): Promise<CookieJar> {
  if (!app.hasRequestDecorator('cookies')) {
    await app.register(fastifyCookie, { hook: 'onRequest' })
  }
  const signer = fastifyCookie.signerFactory(settings.cookieSecret)
  const base: CookieSerializeOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.secureCookies,
  }

  function readSigned(request: FastifyRequest, name: string, pattern: RegExp): string | null {
    const raw = request.cookies[name]
    if (raw === undefined || raw.length > MAX_SIGNED_LENGTH) return null
    const result = signer.unsign(raw)
    if (!result.valid || result.value === null || !pattern.test(result.value)) return null
    return result.value
  }

  return {
    readSession(request) {
      const id = readSigned(request, SESSION_COOKIE, SESSION_ID_PATTERN)
      return id === null ? null : sessionKey(id)
    },
    hasSessionCookie: (request) => request.cookies[SESSION_COOKIE] !== undefined,
    setSession(reply, sessionId, expiresAt, now) {
      reply.setCookie(SESSION_COOKIE, signer.sign(sessionId), {
        ...base,
        maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)),
      })
    },
    clearSession(reply) {
      reply.clearCookie(SESSION_COOKIE, base)
    },
    readState: (request) => readSigned(request, STATE_COOKIE, STATE_PATTERN),
    setState(reply, state) {
      reply.setCookie(STATE_COOKIE, signer.sign(state), { ...base, maxAge: STATE_TTL_SECONDS })
    },
    clearState(reply) {
      reply.clearCookie(STATE_COOKIE, base)
    },
  }
}
