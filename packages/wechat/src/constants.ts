/**
 * Every WeChat magic value the client uses, in one place, each with the page that documents it.
 * Facts are summarised in docs/wechat.md; the links below are the primary sources.
 */

/** Default hosts. Both are overridable so tests and `pnpm dev` can point at the simulator. */
export const DEFAULT_API_BASE = 'https://api.weixin.qq.com'
export const DEFAULT_OPEN_BASE = 'https://open.weixin.qq.com'

/** Endpoint paths, relative to the API base, with no leading slash (the `endpoint` of errors and events). */
export const ENDPOINTS = {
  /**
   * Code → web access_token. GET, secret in the query.
   * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsaccesstoken
   */
  webAccessToken: 'sns/oauth2/access_token',
  /**
   * Refresh a web access_token. GET, no secret.
   * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsrefreshtoken
   */
  webRefreshToken: 'sns/oauth2/refresh_token',
  /**
   * The consenting user's profile (needs an `snsapi_userinfo` grant, else 48001).
   * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsuserinfo.html
   */
  userInfo: 'sns/userinfo',
  /**
   * Is a web access_token still valid? `{"errcode":0,"errmsg":"ok"}` when it is.
   * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsauth
   */
  webAuth: 'sns/auth',
  /**
   * The global token, stable flavour: POST JSON only; normal mode returns the same token while it is
   * valid and renews it 5 minutes before expiry; isolated from `cgi-bin/token`.
   * @see https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken
   */
  stableToken: 'cgi-bin/stable_token',
  /**
   * The global token, classic flavour: GET, secret in the query; every call issues a new token and
   * the previous one dies after a 5-minute overlap.
   * @see https://developers.weixin.qq.com/doc/service/api/base/api_getaccesstoken
   */
  classicToken: 'cgi-bin/token',
  /**
   * Follower facts for one openid, with the global token.
   * @see https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_userinfo
   */
  followerInfo: 'cgi-bin/user/info',
  /**
   * JS-SDK ticket (`type=jsapi`), with the global token; valid 7200 s, cache it.
   * @see https://developers.weixin.qq.com/doc/service/guide/h5/jssdk.html
   */
  jsapiTicket: 'cgi-bin/ticket/getticket',
} as const

/** The authorize page, relative to the open base. @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html */
export const AUTHORIZE_PATH = 'connect/oauth2/authorize'

/**
 * Per-attempt timeout: WeChat answers in well under a second when healthy, and a login that waits
 * longer than a few seconds is abandoned anyway; 3–5 s is the usual advice for outbound calls.
 * @see docs/wechat.md#timeouts-and-retries
 */
export const DEFAULT_TIMEOUT_MS = 5_000
/**
 * At most 2 retries (3 attempts), and only for idempotent reads on -1, network errors and timeouts.
 * @see https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html (-1 "系统繁忙，此时请开发者稍候再试")
 */
export const DEFAULT_RETRIES = 2
export const MAX_RETRIES = 2
/** First backoff step; attempt n waits `base * 2^(n-1)` plus up to `base` of jitter. */
export const DEFAULT_RETRY_BASE_DELAY_MS = 200

/**
 * A cached global token (or ticket) is treated as stale this long before it expires. WeChat renews a
 * stable token 5 minutes early and keeps old and new usable for 5 minutes ("平台会提前5分钟更新
 * access_token"), so a returned token always has `expires_in >= 300`; refreshing 300 s early never
 * hands out a token in its last minutes.
 * @see https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken
 */
export const REFRESH_MARGIN_MS = 300_000

/** TokenCache key of the global access token of one app. */
export function tokenCacheKey(appId: string): string {
  return `wechat:token:${appId}`
}
/** TokenCache key of the jsapi ticket of one app. */
export function ticketCacheKey(appId: string): string {
  return `wechat:ticket:${appId}`
}
/** Name of the cross-process lock taken (when the cache offers `withLock`) while fetching `cacheKey`. */
export function lockKey(cacheKey: string): string {
  return `${cacheKey}:lock`
}

/** How the client groups errcodes; the BFF maps each kind to one error of its contract. */
export type WechatErrorKind =
  | 'code-invalid'
  | 'code-used'
  | 'token-expired'
  | 'refresh-expired'
  | 'scope'
  | 'config'
  | 'busy'
  | 'rate-limit'
  | 'unknown'

interface ErrcodeGroup {
  kind: Exclude<WechatErrorKind, 'unknown'>
  codes: readonly number[]
  /** Where these codes are documented. */
  docs: readonly string[]
}

/**
 * The errcode table. Match on errcode only: errmsg wording has changed over the years.
 * Global return codes: https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html
 */
export const ERRCODE_GROUPS: readonly ErrcodeGroup[] = [
  {
    // 40029 invalid code (unknown, expired, other appid), 42003 code expired (5 min), 41008 missing code.
    kind: 'code-invalid',
    codes: [40029, 42003, 41008],
    docs: [
      'https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsaccesstoken',
      'https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html',
    ],
  },
  {
    // 40163 code been used: a code is single-use, and the first attempt consumes it.
    kind: 'code-used',
    codes: [40163],
    docs: ['https://developers.weixin.qq.com/community/develop/doc/000262c8de4e78e7141ce6aa056c00'],
  },
  {
    // 40001 invalid credential / not latest, 42001 access_token expired, 40014 invalid access_token.
    kind: 'token-expired',
    codes: [42001, 40001, 40014],
    docs: [
      'https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html',
      'https://developers.weixin.qq.com/doc/service/api/base/api_getaccesstoken',
    ],
  },
  {
    // 40030 invalid refresh_token, 42002 refresh_token expired (30 days), 42007 user changed
    // password, 41003 refresh_token missing: all need a new authorisation.
    kind: 'refresh-expired',
    codes: [40030, 42002, 42007, 41003],
    docs: [
      'https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsrefreshtoken',
      'https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html',
    ],
  },
  {
    // 48001 api unauthorized (userinfo with a snsapi_base or snapshot token), 50001 user unauthorized.
    kind: 'scope',
    codes: [48001, 50001],
    docs: ['https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsuserinfo.html'],
  },
  {
    // The appid, secret, grant_type, https or IP whitelist is wrong: a person must fix it, a retry
    // never will (and retrying 40164 forever has taken production systems down).
    // 40013 invalid appid, 40125 invalid appsecret, 40164 IP not in whitelist, 41002 appid missing,
    // 41004 appsecret missing, 40002 invalid grant_type, 40243 AppSecret frozen, 43003 require https,
    // 61004 client IP not registered, 89501/89503/89506/89507 IP awaiting or refused admin confirmation.
    kind: 'config',
    codes: [
      40013, 40125, 40164, 41002, 41004, 40002, 40243, 43003, 61004, 89501, 89503, 89506, 89507,
    ],
    docs: [
      'https://developers.weixin.qq.com/doc/service/api/base/api_getaccesstoken',
      'https://developers.weixin.qq.com/doc/service/guide/dev/api',
      'https://developers.weixin.qq.com/doc/oplatform/developers/basic_func/ip_whitelist.md',
      'https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html',
    ],
  },
  {
    // -1 system error ("系统繁忙，此时请开发者稍候再试"); -1000 system error has been observed too.
    kind: 'busy',
    codes: [-1, -1000],
    docs: [
      'https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html',
      'https://developers.weixin.qq.com/community/develop/doc/000aea3c70cb205d512f3e84d51000',
    ],
  },
  {
    // 45009 daily quota reached, 45011 minute quota reached ("retry next minute").
    kind: 'rate-limit',
    codes: [45009, 45011],
    docs: [
      'https://developers.weixin.qq.com/doc/service/Message_Management/API_Call_Limits.html',
      'https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html',
    ],
  },
]

const KIND_BY_ERRCODE: ReadonlyMap<number, WechatErrorKind> = new Map(
  ERRCODE_GROUPS.flatMap((group) => group.codes.map((code) => [code, group.kind] as const)),
)

/** The kind of a non-zero errcode; `'unknown'` for anything the table does not list (e.g. 40003). */
export function errcodeKind(errcode: number): WechatErrorKind {
  return KIND_BY_ERRCODE.get(errcode) ?? 'unknown'
}

/**
 * `sns/auth` answers for a token that is not (or no longer) valid: 40001 unknown/superseded,
 * 40003 openid does not match, 42001 expired, 40014 malformed.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsauth
 */
export const WEB_TOKEN_INVALID_ERRCODES: ReadonlySet<number> = new Set([40001, 40003, 42001, 40014])

/**
 * Errcodes that mean "this global token is dead or superseded": invalidate it (if unchanged),
 * fetch once, retry once.
 * @see https://developers.weixin.qq.com/doc/service/api/base/api_getaccesstoken
 */
export const GLOBAL_TOKEN_DEAD_ERRCODES: ReadonlySet<number> = new Set([40001, 42001, 40014])
