/** Random identifiers and the hashes the BFF stores or logs instead of secrets. */
import { createHash, randomBytes } from 'node:crypto'

/** A new session id: 32 random bytes, base64url (43 chars). Only its sha256 is ever stored. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url')
}

/** sha256, hex. Session ids are stored and code outcomes are keyed by this. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

/** How a code appears in logs: the first 8 hex chars of its sha256, enough to correlate lines. */
export function codeLogHash(code: string): string {
  return sha256Hex(code).slice(0, 8)
}

/** A session id with the hash it is stored under. */
export interface SessionKey {
  id: string
  idHash: string
}

/** The key of a raw session id. */
export function sessionKey(id: string): SessionKey {
  return { id, idHash: sha256Hex(id) }
}
