/**
 * The one random-id helper: base62 strings from the CSPRNG without modulo bias (nanoid's
 * `customAlphabet` rejects out-of-range bytes). WeChat's own values (the OAuth `state`, the JS-SDK
 * `nonceStr`) are alphanumeric: "开发者可以填写a-zA-Z0-9的参数值".
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 */
import { customAlphabet } from 'nanoid'

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

const generators = new Map<number, () => string>()

/** `length` random characters of `[A-Za-z0-9]` (log2(62) ≈ 5.95 bits each). */
export function randomBase62(length: number): string {
  let generate = generators.get(length)
  if (generate === undefined) generators.set(length, (generate = customAlphabet(BASE62, length)))
  return generate()
}
