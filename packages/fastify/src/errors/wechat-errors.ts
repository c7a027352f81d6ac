/**
 * WeChat's failures in the contract's words: each kind of `WechatError` (packages/wechat classifies
 * errcodes) maps to one error code; WeChat's own errmsg never reaches a client. A configuration
 * error (wrong AppID or AppSecret, the server's IP missing from the whitelist) names the setting to
 * fix, never its value.
 */
import type { ErrorCode } from '@wxauth/shared'
import { WechatApiError, type WechatError, type WechatErrorKind } from '@wxauth/wechat'
import { ApiError } from './api-error.js'

const KIND_CODES: Record<WechatErrorKind, ErrorCode> = {
  'code-invalid': 'CODE_INVALID',
  'code-used': 'CODE_USED',
  'token-expired': 'REAUTH_REQUIRED',
  'refresh-expired': 'REAUTH_REQUIRED',
  scope: 'SCOPE_UPGRADE_REQUIRED',
  config: 'WECHAT_CONFIG_ERROR',
  busy: 'WECHAT_UNAVAILABLE',
  'rate-limit': 'WECHAT_UNAVAILABLE',
  unknown: 'WECHAT_UNAVAILABLE',
}

/**
 * Which setting an operator must fix for a configuration errcode.
 * @see https://developers.weixin.qq.com/doc/oplatform/developers/basic_func/ip_whitelist.md (40164, 61004, 895xx)
 * @see https://developers.weixin.qq.com/doc/service/api/base/api_getaccesstoken (40013, 40125, 41002, 41004, 40243)
 * @see https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html
 */
const CONFIG_HINTS: ReadonlyArray<[readonly number[], string]> = [
  [
    [40164, 61004, 89501, 89503, 89506, 89507],
    "this server's IP is not in the account's IP whitelist (公众号后台 → 设置与开发 → 基本配置 → IP白名单); add its egress IP",
  ],
  [[40013, 41002], 'the AppID is invalid or missing; check the appId option (WECHAT_APPID)'],
  [
    [40125, 41004, 40243],
    'the AppSecret is invalid, missing or frozen; check the secret option (WECHAT_SECRET; reset it in 公众号后台 → 基本配置 if needed)',
  ],
  [[43003], 'WeChat requires https; check the wechatApiBase option (WECHAT_API_BASE)'],
]

/** The operator hint for a configuration errcode, or null when there is no specific one. */
export function configHint(errcode: number | undefined): string | null {
  if (errcode === undefined) return null
  return CONFIG_HINTS.find(([codes]) => codes.includes(errcode))?.[1] ?? null
}

/** A WeChat client error in the contract's words. */
export function fromWechatError(error: WechatError): ApiError {
  const code = KIND_CODES[error.kind]
  if (error.kind === 'config' && error instanceof WechatApiError) {
    const hint = configHint(error.errcode)
    return new ApiError(
      code,
      `The WeChat app is misconfigured on the server (errcode ${error.errcode})${hint ? `: ${hint}` : ''}`,
    )
  }
  return new ApiError(code)
}
