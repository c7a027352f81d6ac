/** Random identifiers, and the hashes stored or logged instead of secrets. */
import { hash } from 'node:crypto'
import { nanoid } from 'nanoid'

/** A new session id: 43 url-safe characters (258 bits). Only its sha256 is ever stored. */
export function newSessionId(): string {
  return nanoid(43)
}

/** sha256, hex. Session ids are stored and code outcomes are keyed by this. */
export function sha256Hex(value: string): string {
  // The one-shot form: no Hash object per call (the session lookup hashes on every request).
  return hash('sha256', value, 'hex')
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
