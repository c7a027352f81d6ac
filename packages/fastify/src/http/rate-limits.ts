/**
 * The login's rate limits (issue #12.3 and #12.4), on @fastify/rate-limit's counters (in process, or
 * in Redis in distributed mode), each over one minute:
 * - authorize URLs: `authRateLimit` per browser (the signed browser-id cookie, http/cookies.ts),
 *   so one looping tab is stopped long before WeChat shows it 10009 (操作太频繁了), and a much larger
 *   `authRateLimitPerIp` per client IP, so a crowd behind one NAT (an office, a campus, a carrier)
 *   is never refused while a script that drops its cookies still meets a ceiling;
 * - code exchanges: `exchangeRateLimit` per browser (the browser id, or the state cookie when there
 *   is none) and `exchangeRateLimitPerIp` per IP, counted only for an exchange that would call
 *   WeChat: joining an exchange in flight or a cached outcome is free (login/code-exchange.ts).
 *   Each exchange carries the AppSecret to `sns/oauth2/access_token`, and WeChat answers a flood by
 *   throttling the whole account (45011), which would take login down for everyone.
 * Past a limit: 429 RATE_LIMITED with `Retry-After`, and WeChat is not called. A limit of 0 is off.
 * If the counters cannot be read (Redis down) requests go through: the limit is a guard, not a gate.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html (10009)
 * @see https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html (45011)
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { RateLimitedError } from '../errors/rate-limited.js'
import type { Settings } from '../options.js'
import { sha256Hex } from '../util/ids.js'
import type { CookieJar } from './cookies.js'
import { requestState } from './request-state.js'

const WINDOW_MS = 60_000

/** Counters kept in process per limiter: bounded memory, and enough to survive a flood of keys. */
export const RATE_LIMIT_KEYS_KEPT = 100_000

export interface RateLimits {
  /** `GET {prefix}/auth/authorize-url`: the per-IP ceiling, then the per-browser limit. */
  authorize(request: FastifyRequest): Promise<void>
  /** Before an exchange that would call WeChat: per browser (or state), then per IP. */
  exchange(request: FastifyRequest, state: string): Promise<void>
}

/** Count one request under `key` (made only when the limit is on); throws RATE_LIMITED past it. */
type Check = (request: FastifyRequest, key: () => string) => Promise<void>

/**
 * Build the limits on `scope`, the encapsulated instance @fastify/rate-limit was registered on.
 * Keys are prefixed (`a:` authorize, `x:` exchange; `b:` browser, `s:` state, `ip:`) so the four
 * counters never share one.
 */
export function createRateLimits(
  scope: FastifyInstance,
  settings: Pick<
    Settings,
    'authRateLimit' | 'authRateLimitPerIp' | 'exchangeRateLimit' | 'exchangeRateLimitPerIp'
  >,
  jar: CookieJar,
): RateLimits {
  function limiter(max: number): Check {
    if (max <= 0) return async () => {}
    // @fastify/rate-limit asks for the key with the request alone: the key to count is handed
    // over in the request's state, set just before each check (the checks run one at a time).
    const check = scope.createRateLimit({
      max,
      timeWindow: WINDOW_MS,
      keyGenerator: (request) => requestState(request).rateLimitKey ?? '',
    })
    return async (request, key) => {
      requestState(request).rateLimitKey = key()
      const result = await check(request)
      if (!result.isAllowed && result.isExceeded) throw new RateLimitedError(result.ttlInSeconds)
    }
  }

  const authorizePerIp = limiter(settings.authRateLimitPerIp)
  const authorizePerBrowser = limiter(settings.authRateLimit)
  const exchangePerIp = limiter(settings.exchangeRateLimitPerIp)
  const exchangePerBrowser = limiter(settings.exchangeRateLimit)

  return {
    async authorize(request) {
      await authorizePerIp(request, () => `a:ip:${request.ip}`)
      // Never keyed by IP: every first visit behind one NAT would share one small budget. A
      // browser without the cookie counts under the id its answer will set; a client that drops
      // its cookies gets a new one each time and meets only the per-IP ceiling.
      await authorizePerBrowser(request, () => `a:b:${jar.browserId(request)}`)
    },
    async exchange(request, state) {
      await exchangePerBrowser(request, () => {
        const id = jar.readBrowserId(request)
        return id !== null ? `x:b:${id}` : `x:s:${sha256Hex(state)}`
      })
      await exchangePerIp(request, () => `x:ip:${request.ip}`)
    },
  }
}
