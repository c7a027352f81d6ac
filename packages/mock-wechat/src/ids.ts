/**
 * Identifier generators shaped like WeChat's (lengths and alphabets measured on real samples; the
 * global token doc asks for 512 chars of storage,
 * https://developers.weixin.qq.com/doc/service/guide/dev/api), so clients that store
 * or validate them see realistic lengths and alphabets.
 */
import { randomBytes } from 'node:crypto'

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** `length` random characters of `[A-Za-z0-9]` (rejection sampling: no modulo bias). */
export function randomAlnum(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= 248) continue // 248 = 4 × 62: above it the modulo would favour some letters
      out += ALNUM[byte % 62]
      if (out.length === length) break
    }
  }
  return out
}

function randomBase64url(length: number): string {
  return randomBytes(Math.ceil((length * 3) / 4) + 1)
    .toString('base64url')
    .slice(0, length)
}

/**
 * The numeric prefix of WeChat tokens (`59_…`, `61_…`, `83_…`) grows over the years; any two digits
 * look right.
 */
const TOKEN_GENERATION = '86'

/** An OAuth `code`: 32 chars of `[A-Za-z0-9]`, like `071CyW000UGidO1SxY000uNATs1CyW04`. */
export function newCode(): string {
  return randomAlnum(32)
}

/** A web access_token or refresh_token: `NN_` + base64url, 110 chars as in 2022–2024 samples. */
export function newWebToken(): string {
  return `${TOKEN_GENERATION}_${randomBase64url(107)}`
}

/** A global access_token: `NN_…`, ~136 chars (the docs say to reserve 512). */
export function newGlobalToken(): string {
  return `${TOKEN_GENERATION}_${randomBase64url(133)}`
}

/** A jsapi_ticket: 86 chars of base64url, like the samples in the JS-SDK docs. */
export function newTicket(): string {
  return randomBase64url(86)
}

/** A request id for errmsg suffixes: three groups of 8 hex digits (`65a33cd8-023106e1-2dc7e2f6`). */
export function newRid(): string {
  const hex = randomBytes(12).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16, 24)}`
}

/** An opaque id for the simulator's own bookkeeping (consent tickets). */
export function newOpaqueId(): string {
  return randomBase64url(24)
}
