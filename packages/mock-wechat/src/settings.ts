/**
 * The rules one simulator runs by, resolved once from `MockWechatOptions` (or the CLI's flags and
 * environment). Each default is WeChat's own behaviour; each switch makes a rule stricter or
 * looser for tests.
 */

/**
 * Which authorize links must keep WeChat's parameter order. `userinfo` (default) follows the
 * evidence: a `snsapi_userinfo` link with `scope` before `response_type` fails, the same link with
 * `snsapi_base` works (https://blog.csdn.net/yiluoAK_47/article/details/48249979); `all` enforces
 * the documented order ("微信会对授权链接做正则强匹配校验") for both scopes; `off` never checks.
 */
export type OrderCheck = 'userinfo' | 'all' | 'off'
export const ORDER_CHECKS: readonly OrderCheck[] = ['userinfo', 'all', 'off']

/**
 * Daily quotas, counted per appid per day (midnight Beijing time).
 * @see https://developers.weixin.qq.com/doc/service/Message_Management/API_Call_Limits.html
 */
export interface DailyQuotas {
  /** `cgi-bin/token`: 2000 a day (45009 past it). */
  token: number
  /** `cgi-bin/stable_token`: 500,000 a day (https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken). */
  stableToken: number
  /**
   * `stable_token` with `force_refresh: true`: 20 a day
   * (https://developers.weixin.qq.com/minigame/dev/api-backend/open-api/access-token/auth.getStableAccessToken.html).
   */
  stableForce: number
  /** `cgi-bin/user/info`: 5,000,000 a day. */
  userInfo: number
}

export const DEFAULT_QUOTAS: Readonly<DailyQuotas> = {
  token: 2000,
  stableToken: 500_000,
  stableForce: 20,
  userInfo: 5_000_000,
}

export interface Settings {
  /** Refuse states outside `[A-Za-z0-9]` (the documented rule) instead of echoing them (WeChat). */
  strictState: boolean
  orderCheck: OrderCheck
  /** How long a `timeout` failure holds the response before dropping it. */
  timeoutHoldMs: number
  /** Authorize requests per client IP per minute before 10009. */
  authorizeRateLimitPerMinute: number
  /** errcode for a code older than 5 minutes. */
  expiredCodeErrcode: 40029 | 42003
  quotas: DailyQuotas
}
