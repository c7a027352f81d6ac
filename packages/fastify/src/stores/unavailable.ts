/**
 * "The store cannot answer right now" (Redis down, PostgreSQL unreachable, a lock that never came
 * free): the one error handler answers 503 SERVICE_UNAVAILABLE for it, never a 500, so the client
 * can simply retry. The Redis adapters wrap every driver error in it; `isStoreUnavailable` also
 * recognises the SQL drivers' own connection errors, which reach the handler unwrapped.
 */

/** A store (Redis, the SQL database, a distributed lock) is not answering. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreUnavailableError'
  }
}

/** SQLite failures that mean "not usable right now" rather than a bug. */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|PROTOCOL)/
/**
 * PostgreSQL SQLSTATE classes 08 (connection exception), 53 (insufficient resources) and 57P
 * (operator intervention: shutdown, crash recovery).
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const PG_UNAVAILABLE = /^(08|53|57P)/
/** Socket-level failures (pg surfaces them as plain Node errors). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'])
/** pg's pool and client throw plain Errors with these messages for a dead or timed-out connection. */
const PG_CONNECTION_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/

/** Does `error` mean that a store is unavailable (as opposed to a bug)? */
export function isStoreUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true
  if (error === null || typeof error !== 'object') return false
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown }
  if (typeof code === 'string') {
    if (name === 'SqliteError') return SQLITE_UNAVAILABLE.test(code)
    if (NETWORK_CODES.has(code)) return true
    // pg-protocol's DatabaseError is named after the protocol message: 'error'.
    if (name === 'error') return PG_UNAVAILABLE.test(code)
    return false
  }
  return typeof message === 'string' && PG_CONNECTION_MESSAGE.test(message)
}
