import { describe, expect, it } from 'vitest'
import { isStoreUnavailable, StoreUnavailableError } from '../../src/stores/unavailable.js'

function errorWith(fields: Record<string, unknown>, message = 'x'): Error {
  return Object.assign(new Error(message), fields)
}

describe('isStoreUnavailable', () => {
  it('recognises our own error, and SQLite, PostgreSQL and socket outages', () => {
    for (const error of [
      new StoreUnavailableError('Redis get failed', { cause: new Error('down') }),
      errorWith({ name: 'SqliteError', code: 'SQLITE_BUSY' }),
      errorWith({ name: 'SqliteError', code: 'SQLITE_IOERR_WRITE' }),
      // pg-protocol's DatabaseError is named 'error': 57P01 admin shutdown, 08006, 53300.
      errorWith({ name: 'error', code: '57P01' }),
      errorWith({ name: 'error', code: '08006' }),
      errorWith({ name: 'error', code: '53300' }),
      errorWith({ code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
    ]) {
      expect(isStoreUnavailable(error), String(error)).toBe(true)
    }
  })

  it('leaves bugs as bugs: constraint violations, syntax errors, anything else', () => {
    for (const error of [
      errorWith({ name: 'SqliteError', code: 'SQLITE_CONSTRAINT_UNIQUE' }),
      errorWith({ name: 'error', code: '23505' }),
      errorWith({ name: 'error', code: '42601' }),
      new TypeError('x is undefined'),
      null,
      'a string',
    ]) {
      expect(isStoreUnavailable(error), String(error)).toBe(false)
    }
  })
})
