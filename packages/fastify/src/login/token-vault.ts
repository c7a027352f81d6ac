/**
 * Web tokens at rest: sealed with AES-256-GCM under a key derived (HKDF-SHA256) from COOKIE_SECRET,
 * with the session's id hash as associated data, so a database dump leaks no usable token and a
 * sealed blob cannot be moved to another session row.
 */
import { createSealer } from '../util/sealer.js'

/** What the BFF keeps of a web token (docs/architecture.md#the-login-flow, step 7). Never leaves the server. */
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

/** Create a vault keyed from `secret` (the HKDF info `web-token-encryption/v1` is the sealer's purpose). */
export function createTokenVault(secret: string): TokenVault {
  const sealer = createSealer(secret, 'web-token-encryption')
  return {
    seal: (tokens, boundTo) => sealer.seal(JSON.stringify(tokens), boundTo),
    open(sealed, boundTo) {
      const json = sealer.open(sealed, boundTo)
      return json === null ? null : (JSON.parse(json) as WebTokens)
    },
  }
}
