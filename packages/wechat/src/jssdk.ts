/**
 * The JS-SDK `wx.config` signature: sha1 over
 * `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` (keys in ASCII order, values raw, not URL-encoded),
 * where `url` is the page URL without its `#fragment`.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/jssdk.html (附录1-JS-SDK使用权限签名算法)
 */
import { createHash, randomBytes } from 'node:crypto'

export interface JssdkSignature {
  /** Unix seconds, as `wx.config` wants it. */
  timestamp: number
  nonceStr: string
  signature: string
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** 16 random base62 characters: WeChat's own examples use 16-char alphanumeric nonces. */
export function createNonceStr(length = 16): string {
  let out = ''
  while (out.length < length) {
    // 248 = 62 * 4: dropping bytes at or above it keeps every character equally likely.
    for (const b of randomBytes(length)) {
      if (b < 248 && out.length < length) out += NONCE_ALPHABET[b % 62]
    }
  }
  return out
}

/**
 * Sign a page URL for `wx.config`. Throws TypeError when the URL carries a fragment: WeChat signs
 * the URL without it, and a caller that passes one has the wrong URL.
 */
export function signJssdkConfig(
  ticket: string,
  url: string,
  opts: { nonceStr?: string; timestamp?: number } = {},
): JssdkSignature {
  if (url.includes('#')) throw new TypeError('the url to sign must not contain a #fragment')
  const nonceStr = opts.nonceStr ?? createNonceStr()
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000)
  const plain = `jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`
  const signature = createHash('sha1').update(plain, 'utf8').digest('hex')
  return { timestamp, nonceStr, signature }
}
