/**
 * What the plugin remembers about one request from one hook to the next: its parsed cookies, the
 * browser id minted for it, the session it resolved to, the rate-limit key being counted. One
 * property, declared on every request up front (`decorateRequest`, as Fastify asks of per-request
 * data), so requests keep one shape; WeakMaps keyed by the request cost the garbage collector work
 * on every `GET /api/me` (bench/me.bench.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { SessionView } from './auth-hooks.js'

const STATE = Symbol('wxauth.requestState')

/**
 * Each field is owned by the module that fills it (http/cookies.ts, http/auth-hooks.ts,
 * http/rate-limits.ts).
 */
export interface RequestState {
  cookies?: Record<string, string | undefined>
  mintedBrowserId?: string
  /** The session the auth hooks resolved. */
  view?: SessionView
  /** The key the rate limit being checked counts this request under. */
  rateLimitKey?: string
}

type WithState = FastifyRequest & { [STATE]?: RequestState | null }

/** Declare the property on `app`'s requests (the plugin does, before any route). */
export function declareRequestState(app: FastifyInstance): void {
  app.decorateRequest(STATE, null)
}

/** The request's state, made on first use. */
export function requestState(request: FastifyRequest): RequestState {
  return ((request as WithState)[STATE] ??= {})
}
