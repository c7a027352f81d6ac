/**
 * Cookies: @fastify/cookie signed with COOKIE_SECRET, and the two cookies the BFF sets.
 * - `wxauth_sid`: the session id (32 random bytes, base64url). httpOnly, SameSite=Lax, Secure on https.
 * - `wxauth_state`: the OAuth state of the login in progress, 10 minutes.
 */
import fastifyCookie, { type CookieSerializeOptions } from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { sessionKey, type SessionKey } from '../services/ids.js'
import { STATE_COOKIE, STATE_TTL_SECONDS } from '../services/state.js'

export const SESSION_COOKIE = 'wxauth_sid'
/** 32 bytes in base64url. */
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/
const STATE_PATTERN = /^[A-Za-z0-9]{1,128}$/
const VERIFIED_CACHE_SIZE = 10_000

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

declare module 'fastify' {
  interface FastifyInstance {
    cookieJar: CookieJar
  }
}

export interface SessionPluginOptions {
  config: Config
}

export default fp<SessionPluginOptions>(
  async (app, { config }) => {
    await app.register(fastifyCookie, { secret: config.cookieSecret, hook: 'onRequest' })

    const base: CookieSerializeOptions = {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
    }

    function readSigned(request: FastifyRequest, name: string, pattern: RegExp): string | null {
      const raw = request.cookies[name]
      if (raw === undefined || raw.length > 512) return null
      const result = request.unsignCookie(raw)
      if (!result.valid || result.value === null || !pattern.test(result.value)) return null
      return result.value
    }

    // Verified session cookies → their key. Checking the HMAC and hashing the id is a large part of
    // an authenticated request's cost; a valid signature stays valid, so remember the last few
    // thousand (only valid ones: a forged cookie never enters).
    const verified = new Map<string, SessionKey>()
    function readSession(request: FastifyRequest): SessionKey | null {
      const raw = request.cookies[SESSION_COOKIE]
      if (raw === undefined) return null
      const known = verified.get(raw)
      if (known !== undefined) return known
      const id = readSigned(request, SESSION_COOKIE, SESSION_ID_PATTERN)
      if (id === null) return null
      const key = sessionKey(id)
      if (verified.size >= VERIFIED_CACHE_SIZE) {
        const oldest = verified.keys().next().value
        if (oldest !== undefined) verified.delete(oldest)
      }
      verified.set(raw, key)
      return key
    }

    const jar: CookieJar = {
      readSession,
      hasSessionCookie: (request) => request.cookies[SESSION_COOKIE] !== undefined,
      setSession(reply, sessionId, expiresAt, now) {
        reply.setCookie(SESSION_COOKIE, sessionId, {
          ...base,
          signed: true,
          maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)),
        })
      },
      clearSession(reply) {
        reply.clearCookie(SESSION_COOKIE, base)
      },
      readState: (request) => readSigned(request, STATE_COOKIE, STATE_PATTERN),
      setState(reply, state) {
        reply.setCookie(STATE_COOKIE, state, { ...base, signed: true, maxAge: STATE_TTL_SECONDS })
      },
      clearState(reply) {
        reply.clearCookie(STATE_COOKIE, base)
      },
    }
    app.decorate('cookieJar', jar)
  },
  { name: 'wxauth-session' },
)
