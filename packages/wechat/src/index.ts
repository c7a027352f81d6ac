export { createWechatClient } from './client.js'
export type { Lang, WebToken, WechatClient, WechatClientOptions } from './client.js'
export { buildAuthorizeUrl } from './authorize-url.js'
export type { AuthorizeUrlOptions } from './authorize-url.js'
export {
  DEFAULT_API_BASE,
  DEFAULT_OPEN_BASE,
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT_MS,
  ENDPOINTS,
  ERRCODE_GROUPS,
  REFRESH_MARGIN_MS,
  errcodeKind,
  ticketCacheKey,
  tokenCacheKey,
} from './constants.js'
export type { WechatErrorKind } from './constants.js'
export { WechatApiError, WechatError, WechatUnavailableError } from './errors.js'
export type { UnavailableReason } from './errors.js'
export type { GlobalTokenEvent, GlobalTokenMode } from './global-token.js'
export type { WechatCallEvent } from './http.js'
export { createMemoryTokenCache } from './token-cache.js'
export type { TokenCache, TokenCacheEntry } from './token-cache.js'
export { createNonceStr, signJssdkConfig } from './jssdk.js'
export { randomBase62 } from './random.js'
export type { JssdkSignature } from './jssdk.js'
export {
  FollowerInfoSchema,
  GlobalTokenResponseSchema,
  JsapiTicketResponseSchema,
  WebTokenResponseSchema,
  WechatUserInfoSchema,
  grantsUserinfo,
} from './responses.js'
export type {
  FollowerInfo,
  GlobalTokenResponse,
  JsapiTicketResponse,
  WebTokenResponse,
  WechatUserInfo,
} from './responses.js'
