// The two open-source clients ship no types; these declare only what the tests call.

declare module 'wechat-jssdk' {
  interface WechatOptions {
    appId: string
    appSecret: string
    wechatRedirectUrl?: string
    oAuthUrl?: string
    apiUrl?: string
    accessTokenUrl?: string
    ticketUrl?: string
    card?: boolean
    store?: Store
  }
  interface OAuthProfile {
    openid: string
    nickname: string
    headimgurl: string
    unionid?: string
    access_token?: string
  }
  export class Store {
    constructor(options?: { noInterval?: boolean })
    getGlobalToken(): Promise<{ accessToken?: string; jsapi_ticket?: string }>
  }
  export class Wechat {
    constructor(options: WechatOptions)
    oauth: {
      generateOAuthUrl(redirectUrl: string, scope: string, state: string): string
      getUserInfo(code: string, key?: string, withToken?: boolean): Promise<OAuthProfile>
      getUserBaseInfo(code: string, key?: string): Promise<{ openid: string; scope: string }>
    }
    jssdk: {
      getSignature(url: string): Promise<{
        nonceStr: string
        timestamp: string
        signature: string
        url: string
      }>
    }
    card: { getApiTicket(): Promise<{ ticket: string; expires_in: number }> }
  }
  const jssdk: { Wechat: typeof Wechat; Store: typeof Store }
  export default jssdk
}

declare module 'wechat-oauth' {
  import type { Agent } from 'node:https'
  type Callback<T> = (error: (Error & { code?: number }) | null, result: T) => void
  interface TokenResult {
    data: { access_token: string; refresh_token: string; openid: string; scope: string }
  }
  class OAuth {
    constructor(appid: string, appsecret: string)
    setOpts(options: { httpsAgent?: Agent; timeout?: number }): void
    getAuthorizeURL(redirect: string, state: string, scope: string): string
    getAccessToken(code: string, callback: Callback<TokenResult>): void
    refreshAccessToken(refreshToken: string, callback: Callback<TokenResult>): void
    getUser(
      options: { openid: string; lang?: string },
      callback: Callback<{ openid: string; nickname: string; headimgurl: string }>,
    ): void
    verifyToken(openid: string, accessToken: string, callback: Callback<unknown>): void
  }
  export default OAuth
}
