import { createWechatClient, type WechatClientOptions } from '../../src/index.js'
import type { FakeWechat } from './fake-wechat.js'

/** The development app every engineer uses (never a real one). */
export const APP_ID = 'wx5f3c1a9e2b7d4f60'
export const SECRET = 'mock-secret-for-local-development-only'

/** A client pointed at the fake, with a tiny backoff so retry tests stay fast. */
export function testClient(fake: FakeWechat, options: Partial<WechatClientOptions> = {}) {
  return createWechatClient({
    appId: APP_ID,
    secret: SECRET,
    apiBase: fake.url,
    openBase: fake.url,
    retryBaseDelayMs: 1,
    timeoutMs: 2_000,
    ...options,
  })
}

/** A plausible web-token body, as sns/oauth2/access_token sends it. */
export function webTokenBody(overrides: Record<string, unknown> = {}) {
  return {
    access_token: '83_WEBACCESSTOKENabcdefghijklmnopqrstuvwxyz0123456789',
    expires_in: 7200,
    refresh_token: '83_WEBREFRESHTOKENabcdefghijklmnopqrstuvwxyz0123456789',
    openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
    scope: 'snsapi_userinfo',
    ...overrides,
  }
}

export function userInfoBody(overrides: Record<string, unknown> = {}) {
  return {
    openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
    nickname: '测试用户',
    sex: 0,
    language: '',
    city: '',
    province: '',
    country: '',
    headimgurl: 'https://thirdwx.qlogo.cn/mmopen/vi_32/abc/132',
    privilege: [],
    unionid: 'oLDegwLanAyzhdUfaBqh6Dt4MqtY',
    ...overrides,
  }
}
