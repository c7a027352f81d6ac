/**
 * The OAuth `state`: a fresh random value per login attempt, bound to the browser by a signed
 * httpOnly cookie and compared in constant time when the code comes back (CSRF / login fixation).
 * WeChat allows `[A-Za-z0-9]{1,128}`: "开发者可以填写a-zA-Z0-9的参数值，最多128字节".
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { AppError } from '../errors.js'

export const STATE_COOKIE = 'wxauth_state'
/** Long enough for a consent page and a slow network; a code itself only lives 5 minutes. */
export const STATE_TTL_SECONDS = 600
export const STATE_LENGTH = 32

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** 32 base62 characters (~190 bits) from the CSPRNG, without modulo bias. */
export function generateState(length = STATE_LENGTH): string {
  let out = ''
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: bytes at or above it would favour the first characters.
      if (byte < 248) out += BASE62[byte % 62]
      if (out.length === length) break
    }
  }
  return out
}

/** Constant-time comparison of the state sent back with the one in the cookie. */
export function statesMatch(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(received, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The 403 for a state that does not belong to this browser's login (or a login that expired). */
export function stateMismatch(): AppError {
  return new AppError(
    'STATE_MISMATCH',
    'This login was started in another browser or has expired; please log in again',
  )
}
