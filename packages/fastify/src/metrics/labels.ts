/**
 * Label values, each from a bounded set: a Prometheus series per distinct value, so a value that
 * could carry an openid, a code, a token or a URL (unbounded, and personal data) never becomes one.
 */
import { ENDPOINTS, type WechatCallEvent, type WechatErrorKind } from '@wxauth/wechat'
import type { ErrorCode } from '@wxauth/shared'

/** The endpoint label: one of the client's endpoint constants (`sns/oauth2/access_token`), else `other`. */
const KNOWN_ENDPOINTS: ReadonlySet<string> = new Set(Object.values(ENDPOINTS))

/** `sns/oauth2/access_token` as the simulator and WeChat's docs write it, or `other`. */
export function endpointLabel(endpoint: string): string {
  return KNOWN_ENDPOINTS.has(endpoint) ? endpoint : 'other'
}

/**
 * How many distinct errcodes get a series of their own before the rest are counted as `other`.
 * WeChat's catalogue is finite, but nothing stops an upstream (or a proxy in front of it) from
 * answering arbitrary integers.
 */
export const MAX_ERRCODE_LABELS = 64

/** Seen errcode label values, per process (every registry shares the bound). */
const seenErrcodes = new Set<string>()

/**
 * The errcode label of one call: `0` for success, WeChat's errcode as text (`-1`, `40163`), or,
 * when no usable answer came back, `timeout`, `network`, `garbage` or the HTTP status class
 * (`http_5xx`; `http_4xx` and `http_3xx` for a proxy's answer or an unfollowed redirect).
 * @see https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html
 */
export function errcodeLabel(event: WechatCallEvent): string {
  if (event.ok) return '0'
  if (event.errcode !== undefined) {
    const label = String(event.errcode)
    if (seenErrcodes.has(label)) return label
    if (seenErrcodes.size >= MAX_ERRCODE_LABELS) return 'other'
    seenErrcodes.add(label)
    return label
  }
  switch (event.reason) {
    case 'timeout':
    case 'network':
    case 'garbage':
      return event.reason
    case 'http-status':
      return event.status === undefined ? 'http_error' : `http_${Math.floor(event.status / 100)}xx`
    default:
      return 'other'
  }
}

/** The exchange-result label: `ok`, or the contract's error code in lower case (`code_used`). */
export function resultLabel(result: 'ok' | ErrorCode): string {
  return result === 'ok' ? 'ok' : result.toLowerCase()
}

/** A WeChat error kind as a label value: `rate-limit` → `rate_limit`. */
export function kindLabel(kind: WechatErrorKind | 'other'): string {
  return kind.replace(/-/g, '_')
}
