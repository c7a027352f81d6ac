/**
 * The JS-SDK `wx.config` signature: sha1 over
 * `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` (keys in ASCII order, values raw, not URL-encoded),
 * where `url` is the page URL without its `#fragment`.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/jssdk.html (附录1-JS-SDK使用权限签名算法)
 */
import { createHash } from 'node:crypto'
import { randomBase62 } from './random.js'

export interface JssdkSignature {
  /** Unix seconds, as `wx.config` wants it. */
  timestamp: number
  nonceStr: string
  signature: string
}

/** 16 random base62 characters: WeChat's own examples use 16-char alphanumeric nonces. */
export function createNonceStr(length = 16): string {
  return randomBase62(length)
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
