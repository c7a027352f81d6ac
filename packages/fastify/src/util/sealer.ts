/**
 * Authenticated encryption of small values kept in a shared store: AES-256-GCM under a key derived
 * (HKDF-SHA256) from COOKIE_SECRET and a purpose, with associated data binding each blob to its key.
 * The Redis code-outcome cache uses it because an outcome carries a raw session id: whoever can read
 * Redis must not be able to take over the sessions of people who just logged in.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

export interface Sealer {
  /** Encrypt `text`, bound to `boundTo` (e.g. the Redis key it is stored under). */
  seal(text: string, boundTo: string): string
  /** The text, or null when the blob is not ours (wrong key, tampered, bound elsewhere). */
  open(sealed: string, boundTo: string): string | null
}

const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16

/** A sealer keyed from `secret` for one `purpose` (different purposes never open each other's blobs). */
export function createSealer(secret: string, purpose: string): Sealer {
  const key = Buffer.from(hkdfSync('sha256', secret, 'wxauth-bff', `${purpose}/v1`, 32))
  return {
    seal(text, boundTo) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      cipher.setAAD(Buffer.from(boundTo, 'utf8'))
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()])
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
        return Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8')
      } catch {
        return null
      }
    },
  }
}
