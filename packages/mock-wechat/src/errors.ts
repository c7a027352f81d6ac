/**
 * WeChat's error codes as the simulator returns them: the API errcode table (HTTP 200 +
 * `{errcode, errmsg}`) and the authorize-page error table (an HTML page, never a redirect).
 * @see https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html
 * @see https://blog.csdn.net/cl11992/article/details/86527897 (the authorize-page table)
 */
import { newRid } from './ids.js'

/**
 * API errcodes and their errmsg text as WeChat returns it (match on errcode only; the text changes).
 * @see https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html (global list)
 * @see https://developers.weixin.qq.com/doc/channels/API/basics/commErrCode.html (current wording)
 */
export const ERRMSG: Readonly<Record<number, string>> = {
  [-1]: 'system error',
  // 40001/45009 carry the getStableAccessToken hint since 2023 (commErrCode above).
  40001:
    'invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40030: 'invalid refresh_token',
  // "请检查API的URL是否与文档一致": the answer to a path WeChat does not serve (commErrCode above).
  40066: 'invalid url',
  40097: 'invalid args',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40243: 'AppSecret is frozen',
  41001: 'access_token missing',
  41002: 'appid missing',
  41003: 'refresh_token missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  41009: 'missing openid',
  42001: 'access_token expired',
  42002: 'refresh_token expired',
  42003: 'code expired',
  42007: 'access_token and refresh_token exception',
  43001: 'require GET method',
  43002: 'require POST method',
  43003: 'require https',
  45009:
    'reach max api daily quota limit, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r',
  45011: 'api minute-quota reach limit, must slower, retry next minute',
  47001: 'data format error',
  48001: 'api unauthorized',
  50001: 'user unauthorized',
  50002: 'user limited',
  61004: 'access clientip is not registered',
  // The IP-confirmation family answers in Chinese (WxJava's error enum).
  89501: '此IP正在等待管理员确认,请联系管理员',
  89503: '此IP调用需要管理员确认,请联系管理员',
  89506: '24小时内该IP被管理员拒绝调用两次，24小时内不可再使用该IP调用',
  89507: '1小时内该IP被管理员拒绝调用一次，1小时内不可再使用该IP调用',
}

/**
 * `/sns/*` answers 40001 without the getStableAccessToken hint: that hint is about the global
 * token, and the web-auth endpoints answer "invalid credential, access_token is invalid or not
 * latest" (a global token on sns/userinfo, https://developers.weixin.qq.com/community/personal/oCJUsw2yQ0PXI2uyM5dKslDM_FuE/answer).
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsuserinfo.html
 */
const SNS_ERRMSG: Readonly<Record<number, string>> = {
  40001: 'invalid credential, access_token is invalid or not latest',
}

/** The body of a WeChat API error. */
export interface WechatErrorBody {
  errcode: number
  errmsg: string
}

/**
 * An error body with WeChat's current errmsg style: base text + ` rid: xxxxxxxx-xxxxxxxx-xxxxxxxx`,
 * worded for the endpoint family (`flavor`).
 * 40164 names the caller's IP like the real message (`invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in
 * whitelist`, https://developers.weixin.qq.com/doc/oplatform/developers/basic_func/ip_whitelist.md).
 */
export function wechatError(
  errcode: number,
  detail: { ip?: string; flavor?: 'sns' | 'cgi-bin' } = {},
): WechatErrorBody {
  const base =
    errcode === 40164
      ? `invalid ip ${detail.ip ?? '0.0.0.0'} ipv6 ::ffff:${detail.ip ?? '0.0.0.0'}, not in whitelist`
      : ((detail.flavor === 'sns' ? SNS_ERRMSG[errcode] : undefined) ??
        ERRMSG[errcode] ??
        'mock injected error')
  return { errcode, errmsg: `${base} rid: ${newRid()}` }
}

/**
 * Authorize-page errors with a code: WeChat renders "message，错误码:NNNNN" and never redirects.
 * The table is the one printed in the older official OA web-auth doc ("错误返回码说明如下").
 * @see https://developers.weixin.qq.com/doc/oplatform/developers/troubleshooting/auth.html
 * @see https://blog.csdn.net/cl11992/article/details/86527897 (verbatim copy of the old table)
 */
export const AUTHORIZE_ERRORS: Readonly<Record<number, string>> = {
  10003: 'redirect_uri域名与后台配置不一致',
  10004: '此公众号被封禁',
  10005: '此公众号并没有这些scope的权限',
  10006: '必须关注此测试号',
  10009: '操作太频繁了，请稍后重试',
  10010: 'scope不能为空',
  10011: 'redirect_uri不能为空',
  10012: 'appid不能为空',
  10013: 'state不能为空',
  10015: '公众号未授权第三方平台，请检查授权状态',
  10016: '不支持微信开放平台的Appid，请使用公众号Appid',
}

/** An error the authorize page shows instead of redirecting. */
export interface AuthorizePageError {
  /** Stable key for tests (`data-error`), e.g. `redirect-uri-domain`. */
  key: string
  message: string
  /** WeChat's 100xx code, when the error has one. */
  errcode?: number
  /** A second line under the message, e.g. why a 10003 was given. */
  detail?: string
}

const CODE_KEYS: Readonly<Record<number, string>> = {
  10003: 'redirect-uri-domain',
  10004: 'account-banned',
  10005: 'scope-unauthorized',
  10006: 'test-account-follow',
  10009: 'too-frequent',
  10010: 'scope-empty',
  10011: 'redirect-uri-empty',
  10012: 'appid-empty',
  10013: 'state-empty',
  10015: 'component-unauthorized',
  10016: 'open-platform-appid',
}

/** The page error for one of the {@link AUTHORIZE_ERRORS} codes. */
export function authorizeError(errcode: number): AuthorizePageError {
  return {
    key: CODE_KEYS[errcode] ?? `errcode-${errcode}`,
    message: AUTHORIZE_ERRORS[errcode] ?? '系统错误',
    errcode,
  }
}

/**
 * Authorize-page errors beyond the plain coded table.
 * - "Scope 参数错误或没有 Scope 权限": parameters out of order (https://blog.csdn.net/yiluoAK_47/article/details/48249979)
 * - "redirect_uri 参数错误": an unusable redirect_uri (https://www.cnblogs.com/rchao/p/15593777.html)
 * - "state参数过长": state over 128 bytes (https://github.com/Jeff-Tian/keycloak-services-social-weixin/issues/37)
 * - 10003 with the reason "redirect_uri不支持带端口号" (https://developers.weixin.qq.com/doc/oplatform/developers/troubleshooting/auth.html)
 * `stateInvalid`, `responseType` and `consentExpired` are the simulator's own wording for rules
 * WeChat documents but whose page we have not seen.
 */
export const AUTHORIZE_PAGE_ERRORS = {
  paramOrder: { key: 'param-order', message: 'Scope 参数错误或没有 Scope 权限' },
  redirectUriInvalid: { key: 'redirect-uri-invalid', message: 'redirect_uri 参数错误' },
  stateTooLong: { key: 'state-too-long', message: 'state参数过长' },
  stateInvalid: { key: 'state-invalid', message: 'state参数错误，只能包含 a-zA-Z0-9' },
  redirectUriPort: {
    key: 'redirect-uri-port',
    message: 'redirect_uri域名与后台配置不一致',
    errcode: 10003,
    detail: 'redirect_uri不支持带端口号',
  },
  responseType: { key: 'response-type', message: 'response_type 参数错误' },
  consentExpired: { key: 'consent-expired', message: '授权页已失效，请重新进入' },
} as const satisfies Record<string, AuthorizePageError>
