/**
 * Web tokens at rest: sealed with AES-256-GCM under a key derived (HKDF-SHA256) from COOKIE_SECRET,
 * with the session's id hash as associated data, so a database dump leaks no usable token and a
 * sealed blob cannot be moved to another session row.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/** What the BFF keeps of a web token (DESIGN.md §3 step 7). Never leaves the server. */
export interface WebTokens {
  accessToken: string
  refreshToken: string
  /** epoch ms; measured from when the exchange started. */
  accessExpiresAt: number
  /** epoch ms; WeChat's refresh_token lives 30 days and is not renewed by refreshing. */
  refreshExpiresAt: number
}

export interface TokenVault {
  seal(tokens: WebTokens, boundTo: string): string
  /** null when the blob is not ours (wrong key, tampered, other session). */
  open(sealed: string, boundTo: string): WebTokens | null
}

const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16

/** Create a vault keyed from `secret`. */
export function createTokenVault(secret: string): TokenVault {
  const key = Buffer.from(hkdfSync('sha256', secret, 'wxauth-bff', 'web-token-encryption/v1', 32))
  return {
    seal(tokens, boundTo) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      cipher.setAAD(Buffer.from(boundTo, 'utf8'))
      const body = Buffer.concat([cipher.update(JSON.stringify(tokens), 'utf8'), cipher.final()])
      return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`
    },
    open(sealed, boundTo) {
      if (!sealed.startsWith(`${VERSION}.`)) return null
      const raw = Buffer.from(sealed.slice(VERSION.length + 1), 'base64url')
      if (raw.length <= IV_BYTES + TAG_BYTES) return null
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES))
        decipher.setAAD(Buffer.from(boundTo, 'utf8'))
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
        const json = Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8')
        return JSON.parse(json) as WebTokens
      } catch {
        return null
      }
    },
  }
}
