/**
 * The OAuth `state`: a fresh random value per login attempt, bound to the browser by a signed
 * httpOnly cookie with its issue time (http/cookies.ts, login/state-cookie.ts: at most 10 minutes
 * old, one exchange per state) and compared in constant time when the code comes back (CSRF,
 * login fixation). Ours are 32 base62 characters (~190 bits), inside WeChat's documented
 * `[A-Za-z0-9]{1,128}`: "开发者可以填写a-zA-Z0-9的参数值，最多128字节".
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 * @see docs/wechat.md#state
 */
import { timingSafeEqual } from 'node:crypto'
import { randomBase62 } from '@wxauth/wechat'
import { ApiError } from '../errors/api-error.js'

export const STATE_LENGTH = 32

/** A fresh state. */
export function generateState(): string {
  return randomBase62(STATE_LENGTH)
}

/** Constant-time comparison of the state sent back with the one in the cookie. */
export function statesMatch(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(received, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The 403 for a state that does not belong to this browser's login (or a login that expired). */
export function stateMismatch(): ApiError {
  return new ApiError('STATE_MISMATCH')
}
