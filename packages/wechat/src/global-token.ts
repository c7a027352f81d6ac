/**
 * The account-wide access token (and the jsapi ticket that hangs off it): cached, refreshed before
 * expiry, one fetch at a time.
 *
 * - `stable` mode (default) uses `POST cgi-bin/stable_token` in normal mode: repeated calls return the
 *   same token while it is valid, and it is isolated from `cgi-bin/token`, so a stray legacy caller of
 *   the same appid cannot invalidate it.
 *   @see https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken
 * - `classic` mode uses `GET cgi-bin/token`. Every call there issues a new token and the previous one
 *   dies after a 5-minute overlap ("重复获取将导致上次获取的access_token失效"), so exactly one owner
 *   (one process, or N sharing a cache with `withLock`) may call it for an appid.
 *   @see https://developers.weixin.qq.com/doc/service/api/base/api_getaccesstoken
 */
import { Compile } from 'typebox/compile'
import { GlobalTokenResponseSchema, JsapiTicketResponseSchema } from './responses.js'
import {
  ENDPOINTS,
  GLOBAL_TOKEN_DEAD_ERRCODES,
  REFRESH_MARGIN_MS,
  lockKey,
  ticketCacheKey,
  tokenCacheKey,
} from './constants.js'
import type { WechatErrorKind } from './constants.js'
import { WechatApiError, WechatError } from './errors.js'
import { wechatRequest, type HttpConfig } from './http.js'
import type { TokenCache, TokenCacheEntry } from './token-cache.js'

const globalTokenValidator = Compile(GlobalTokenResponseSchema)
// getticket's success body carries `errcode: 0, errmsg: "ok"` beside the ticket; the schema allows
// extra properties, and http.ts has already turned any non-zero errcode into an error.
const jsapiTicketValidator = Compile(JsapiTicketResponseSchema)

export type GlobalTokenMode = 'stable' | 'classic'

/**
 * What happened to the global token, for an operator's counters: one `fetch` per upstream fetch
 * (not per cache hit; a fetch's retries are one fetch), one `invalidate` per dead token reported
 * (40001/42001/40014 on a call made with it). Carries no token.
 */
export type GlobalTokenEvent =
  | { type: 'fetch'; mode: GlobalTokenMode; ok: true }
  | {
      type: 'fetch'
      mode: GlobalTokenMode
      ok: false
      /** The failure's kind; `other` for anything that is not a WechatError. */
      kind: WechatErrorKind | 'other'
    }
  | {
      type: 'invalidate'
      /** Whether the cached token was the dead one (false: another caller had replaced it). */
      deleted: boolean
    }

export interface GlobalTokenOptions {
  appId: string
  secret: string
  mode: GlobalTokenMode
  http: HttpConfig
  cache: TokenCache
  now: () => number
  onEvent?: ((event: GlobalTokenEvent) => void) | undefined
}

export interface GlobalTokenManager {
  getAccessToken(): Promise<string>
  invalidateAccessToken(token: string): Promise<void>
  getJsapiTicket(): Promise<string>
  /**
   * Run `call` with the global token; if WeChat says the token is dead (40001/42001/40014),
   * invalidate it if unchanged, fetch once and run `call` once more. Never loops.
   */
  withAccessToken<T>(call: (token: string) => Promise<T>): Promise<T>
}

/** Usable without a refresh: more than REFRESH_MARGIN_MS before expiry. */
export function isFresh(entry: TokenCacheEntry, now: number): boolean {
  return entry.expiresAt - REFRESH_MARGIN_MS > now
}

/** Worth falling back to a still-valid cached value: WeChat busy, unreachable or rate-limited. */
function isOutage(error: unknown): boolean {
  return error instanceof WechatError && (error.kind === 'busy' || error.kind === 'rate-limit')
}

/** Token and ticket access for one app; see the module comment for the two modes. */
export function createGlobalTokenManager(options: GlobalTokenOptions): GlobalTokenManager {
  const { appId, secret, mode, http, cache, now } = options
  const tokenKey = tokenCacheKey(appId)
  const ticketKey = ticketCacheKey(appId)
  /** In-process single flight: concurrent callers for one key share one promise. */
  const inflight = new Map<string, Promise<string>>()

  function emit(event: GlobalTokenEvent): void {
    try {
      options.onEvent?.(event)
    } catch {
      // A failing listener must not fail a token fetch.
    }
  }

  async function fetchAccessToken(): Promise<TokenCacheEntry> {
    try {
      const entry = await fetchAccessTokenOnce()
      emit({ type: 'fetch', mode, ok: true })
      return entry
    } catch (error) {
      emit({
        type: 'fetch',
        mode,
        ok: false,
        kind: error instanceof WechatError ? error.kind : 'other',
      })
      throw error
    }
  }

  async function fetchAccessTokenOnce(): Promise<TokenCacheEntry> {
    const { body, startedAt } =
      mode === 'stable'
        ? await wechatRequest(http, {
            endpoint: ENDPOINTS.stableToken,
            method: 'POST',
            // Normal mode only: force_refresh kills the current token for everyone and is limited to
            // 20/day, at least 30 s apart; it is for a leaked token, not for routine refreshes.
            json: { grant_type: 'client_credential', appid: appId, secret, force_refresh: false },
            validator: globalTokenValidator,
            // Normal mode returns the same token while it is valid: repeating it is harmless.
            idempotent: true,
            sensitive: [secret],
          })
        : await wechatRequest(http, {
            endpoint: ENDPOINTS.classicToken,
            method: 'GET',
            query: [
              ['grant_type', 'client_credential'],
              ['appid', appId],
              ['secret', secret],
            ],
            validator: globalTokenValidator,
            // A lost answer's token was never handed out, so replacing it with a retry harms nobody
            // (each call costs one of the 2000 daily fetches, and a retry is at most two more).
            idempotent: true,
            sensitive: [secret],
          })
    return { value: body.access_token, expiresAt: startedAt + body.expires_in * 1000 }
  }

  async function fetchJsapiTicket(): Promise<TokenCacheEntry> {
    return withAccessToken(async (token) => {
      const { body, startedAt } = await wechatRequest(http, {
        endpoint: ENDPOINTS.jsapiTicket,
        method: 'GET',
        query: [
          ['access_token', token],
          ['type', 'jsapi'],
        ],
        validator: jsapiTicketValidator,
        idempotent: true,
        sensitive: [token, secret],
      })
      return { value: body.ticket, expiresAt: startedAt + body.expires_in * 1000 }
    })
  }

  /** The cached value of `key`, or one fresh fetch shared by every concurrent caller. */
  async function cached(key: string, fetchFresh: () => Promise<TokenCacheEntry>): Promise<string> {
    const entry = await cache.get(key)
    if (entry && isFresh(entry, now())) return entry.value
    let pending = inflight.get(key)
    if (!pending) {
      pending = refresh(key, fetchFresh).finally(() => inflight.delete(key))
      inflight.set(key, pending)
    }
    return pending
  }

  async function refresh(key: string, fetchFresh: () => Promise<TokenCacheEntry>): Promise<string> {
    let latest: TokenCacheEntry | null = null
    const run = async () => {
      // Re-read after taking the lock: another process may have fetched while we waited.
      latest = await cache.get(key)
      if (latest && isFresh(latest, now())) return latest.value
      const fresh = await fetchFresh()
      await cache.set(key, fresh)
      return fresh.value
    }
    try {
      return cache.withLock ? await cache.withLock(lockKey(key), run) : await run()
    } catch (error) {
      // WeChat is down but the cached value still works (its last REFRESH_MARGIN_MS): keep serving
      // it rather than failing every caller. Config errors still surface.
      const stale = latest as TokenCacheEntry | null
      if (stale && stale.expiresAt > now() && isOutage(error)) return stale.value
      throw error
    }
  }

  function getAccessToken(): Promise<string> {
    return cached(tokenKey, fetchAccessToken)
  }

  async function invalidateAccessToken(token: string): Promise<void> {
    const deleted = await cache.deleteIfEquals(tokenKey, token)
    emit({ type: 'invalidate', deleted })
  }

  async function withAccessToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await getAccessToken()
    try {
      return await call(token)
    } catch (error) {
      if (!(error instanceof WechatApiError) || !GLOBAL_TOKEN_DEAD_ERRCODES.has(error.errcode)) {
        throw error
      }
      // Compare-and-delete: if another caller already replaced the token, keep theirs.
      await invalidateAccessToken(token)
      return call(await getAccessToken())
    }
  }

  return {
    getAccessToken,
    invalidateAccessToken,
    getJsapiTicket: () => cached(ticketKey, fetchJsapiTicket),
    withAccessToken,
  }
}
