/**
 * `createWechatClient`: everything the BFF asks of WeChat, as a plain factory with injected fetch,
 * bases, clock and token cache, so tests and other frameworks can drive it.
 */
import Type from 'typebox'
import { Compile } from 'typebox/compile'
import type { Scope } from '@wxauth/shared'
import { buildAuthorizeUrl } from './authorize-url.js'
import {
  FollowerInfoSchema,
  WebTokenResponseSchema,
  WechatUserInfoSchema,
  type FollowerInfo,
  type WebTokenResponse,
  type WechatUserInfo,
} from './responses.js'
import {
  DEFAULT_API_BASE,
  DEFAULT_OPEN_BASE,
  DEFAULT_RETRIES,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_TIMEOUT_MS,
  ENDPOINTS,
  MAX_RETRIES,
  WEB_TOKEN_INVALID_ERRCODES,
} from './constants.js'
import { WechatApiError, WechatError } from './errors.js'
import {
  createGlobalTokenManager,
  type GlobalTokenEvent,
  type GlobalTokenMode,
} from './global-token.js'
import { wechatRequest, type HttpConfig, type WechatCallEvent } from './http.js'
import { createMemoryTokenCache, type TokenCache } from './token-cache.js'

export type Lang = 'zh_CN' | 'zh_TW' | 'en'

export interface WechatClientOptions {
  appId: string
  secret: string
  /** default 'https://api.weixin.qq.com' */
  apiBase?: string
  /** default 'https://open.weixin.qq.com' */
  openBase?: string
  /** default globalThis.fetch */
  fetch?: typeof fetch
  /** default 5000, per attempt */
  timeoutMs?: number
  /** default 2 (so at most 3 attempts), only for idempotent reads; 0–2 */
  retries?: number
  /** First backoff step in ms (default 200); attempt n waits base·2^(n-1) plus up to base of jitter. */
  retryBaseDelayMs?: number
  /** epoch ms, default Date.now */
  now?: () => number
  /** default createMemoryTokenCache(now) */
  tokenCache?: TokenCache
  /** default 'stable' (cgi-bin/stable_token normal mode) */
  globalTokenMode?: GlobalTokenMode
  /** the BFF logs these (endpoint, duration, errcode) */
  onCall?: (event: WechatCallEvent) => void
  /** the BFF counts these: global-token fetches and invalidations */
  onGlobalToken?: (event: GlobalTokenEvent) => void
}

/** A web token with absolute expiries computed from the time the request STARTED (not when it returned). */
export interface WebToken extends WebTokenResponse {
  /** epoch ms */
  accessExpiresAt: number
  /** is_snapshotuser === 1 */
  snapshot: boolean
}

export interface WechatClient {
  readonly appId: string
  /** appid, redirect_uri, response_type, scope, state[, forcePopup] + '#wechat_redirect'. Throws TypeError on a
   *  redirectUri with a fragment or a state outside [A-Za-z0-9]{1,128}. redirect_uri encoded once (encodeURIComponent). */
  buildAuthorizeUrl(opts: {
    redirectUri: string
    scope: Scope
    state: string
    forcePopup?: boolean
  }): string
  /** sns/oauth2/access_token. NEVER retried (a code may already be consumed). */
  exchangeCode(code: string): Promise<WebToken>
  /** sns/oauth2/refresh_token. */
  refreshWebToken(refreshToken: string): Promise<WebToken>
  /** sns/userinfo (retried on -1/network/timeout). */
  getUserInfo(accessToken: string, openid: string, lang?: Lang): Promise<WechatUserInfo>
  /** sns/auth: 'valid' on errcode 0, 'invalid' on 40001/40003/42001/40014, 'unknown' when WeChat is busy/unreachable. */
  checkWebToken(accessToken: string, openid: string): Promise<'valid' | 'invalid' | 'unknown'>
  /** cgi-bin/user/info with the global token; on 40001/42001/40014 invalidates the token if unchanged, fetches once, retries once. */
  getFollowerInfo(openid: string, lang?: Lang): Promise<FollowerInfo>
  /** The global token: cached, refreshed before expiry (≥ 5 min margin), concurrent callers joined onto one fetch. */
  getStableAccessToken(): Promise<string>
  /** Compare-and-delete the cached global token (after a business call got 40001/42001 with it). */
  invalidateAccessToken(token: string): Promise<void>
  /** cgi-bin/ticket/getticket?type=jsapi, cached like the token (7200 s). */
  getJsapiTicket(): Promise<string>
}

const webTokenValidator = Compile(WebTokenResponseSchema)
const userInfoValidator = Compile(WechatUserInfoSchema)
const followerInfoValidator = Compile(FollowerInfoSchema)
/**
 * `sns/auth` answers `{"errcode":0,"errmsg":"ok"}` for a valid token.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsauth
 */
const snsAuthValidator = Compile(
  Type.Object({ errcode: Type.Literal(0), errmsg: Type.Optional(Type.String()) }),
)

function baseUrl(name: string, value: string): string {
  try {
    const url = new URL(value)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol')
  } catch {
    throw new TypeError(`${name} must be an absolute http(s) URL`)
  }
  return value.replace(/\/+$/, '')
}

function nonEmpty(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${name} must be a non-empty string`)
  }
  return value
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name} must be an integer from ${min} to ${max}`)
  }
  return value
}

function toWebToken(body: WebTokenResponse, startedAt: number): WebToken {
  // Copy the documented fields only, so nothing unexpected rides along into the BFF's session.
  const token: WebToken = {
    access_token: body.access_token,
    expires_in: body.expires_in,
    refresh_token: body.refresh_token,
    openid: body.openid,
    scope: body.scope,
    accessExpiresAt: startedAt + body.expires_in * 1000,
    snapshot: body.is_snapshotuser === 1,
  }
  if (body.is_snapshotuser !== undefined) token.is_snapshotuser = body.is_snapshotuser
  if (body.unionid !== undefined) token.unionid = body.unionid
  return token
}

/** Create a WeChat API client for one Official Account. Options are validated here (TypeError). */
export function createWechatClient(options: WechatClientOptions): WechatClient {
  const appId = nonEmpty('appId', options.appId)
  const secret = nonEmpty('secret', options.secret)
  const apiBase = baseUrl('apiBase', options.apiBase ?? DEFAULT_API_BASE)
  const openBase = baseUrl('openBase', options.openBase ?? DEFAULT_OPEN_BASE)
  const now = options.now ?? Date.now
  const fetchFn = options.fetch ?? globalThis.fetch
  if (typeof fetchFn !== 'function') throw new TypeError('fetch must be a function')
  const http: HttpConfig = {
    apiBase,
    fetch: fetchFn,
    timeoutMs: integerIn('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1, 120_000),
    retries: integerIn('retries', options.retries ?? DEFAULT_RETRIES, 0, MAX_RETRIES),
    retryBaseDelayMs: integerIn(
      'retryBaseDelayMs',
      options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
      0,
      60_000,
    ),
    now,
    onCall: options.onCall,
  }
  const mode = options.globalTokenMode ?? 'stable'
  if (mode !== 'stable' && mode !== 'classic') {
    throw new TypeError("globalTokenMode must be 'stable' or 'classic'")
  }
  const globalToken = createGlobalTokenManager({
    appId,
    secret,
    mode,
    http,
    cache: options.tokenCache ?? createMemoryTokenCache(now),
    now,
    onEvent: options.onGlobalToken,
  })

  return {
    appId,

    buildAuthorizeUrl: (opts) => buildAuthorizeUrl(openBase, appId, opts),

    async exchangeCode(code) {
      const { body, startedAt } = await wechatRequest(http, {
        endpoint: ENDPOINTS.webAccessToken,
        method: 'GET',
        query: [
          ['appid', appId],
          ['secret', secret],
          ['code', code],
          ['grant_type', 'authorization_code'],
        ],
        validator: webTokenValidator,
        // Never: WeChat consumes a code on the first attempt whatever happens to the answer, so a
        // retry after a lost answer can only get 40163 and hide the real outcome.
        idempotent: false,
        sensitive: [secret, code],
      })
      return toWebToken(body, startedAt)
    },

    async refreshWebToken(refreshToken) {
      const { body, startedAt } = await wechatRequest(http, {
        endpoint: ENDPOINTS.webRefreshToken,
        method: 'GET',
        query: [
          ['appid', appId],
          ['grant_type', 'refresh_token'],
          ['refresh_token', refreshToken],
        ],
        validator: webTokenValidator,
        // The refresh_token is not rotated (the same string comes back) and refreshing an unexpired
        // access_token returns the same one, so a repeat after a lost answer is harmless.
        // @see https://developers.weixin.qq.com/doc/oplatform/Website_App/WeChat_Login/Authorized_Interface_Calling_UnionID.md
        idempotent: true,
        sensitive: [secret, refreshToken],
      })
      return toWebToken(body, startedAt)
    },

    async getUserInfo(accessToken, openid, lang = 'zh_CN') {
      const { body } = await wechatRequest(http, {
        endpoint: ENDPOINTS.userInfo,
        method: 'GET',
        query: [
          ['access_token', accessToken],
          ['openid', openid],
          ['lang', lang],
        ],
        validator: userInfoValidator,
        idempotent: true,
        sensitive: [secret, accessToken],
      })
      return body
    },

    async checkWebToken(accessToken, openid) {
      try {
        await wechatRequest(http, {
          endpoint: ENDPOINTS.webAuth,
          method: 'GET',
          query: [
            ['access_token', accessToken],
            ['openid', openid],
          ],
          validator: snsAuthValidator,
          idempotent: true,
          sensitive: [secret, accessToken],
        })
        return 'valid'
      } catch (error) {
        if (error instanceof WechatApiError && WEB_TOKEN_INVALID_ERRCODES.has(error.errcode)) {
          return 'invalid'
        }
        // A busy, unreachable or rate-limiting WeChat says nothing about the token.
        if (
          error instanceof WechatError &&
          (error.kind === 'busy' || error.kind === 'rate-limit')
        ) {
          return 'unknown'
        }
        throw error
      }
    },

    getFollowerInfo(openid, lang = 'zh_CN') {
      return globalToken.withAccessToken(async (token) => {
        const { body } = await wechatRequest(http, {
          endpoint: ENDPOINTS.followerInfo,
          method: 'GET',
          query: [
            ['access_token', token],
            ['openid', openid],
            ['lang', lang],
          ],
          validator: followerInfoValidator,
          idempotent: true,
          sensitive: [secret, token],
        })
        return body
      })
    },

    getStableAccessToken: () => globalToken.getAccessToken(),
    invalidateAccessToken: (token) => globalToken.invalidateAccessToken(token),
    getJsapiTicket: () => globalToken.getJsapiTicket(),
  }
}
