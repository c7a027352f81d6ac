import { describe, expect, it } from 'vitest'
import { createDatabase, parseDatabaseUrl } from '../../src/stores/sql/database.js'
import { describeSqlStores } from './sql-stores.contract.js'

describe('SQL stores on SQLite', () => {
  describeSqlStores(async () => createDatabase('sqlite::memory:'))
})

describe('parseDatabaseUrl', () => {
  it('knows sqlite and postgres URLs and refuses anything else', async () => {
    expect(parseDatabaseUrl('sqlite:/x/y.sqlite')).toEqual({ kind: 'sqlite', path: '/x/y.sqlite' })
    expect(parseDatabaseUrl('postgres://u@h/db')).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h/db',
    })
    expect(() => parseDatabaseUrl('mysql://x')).toThrow(/sqlite: or postgres/)
    // A PostgreSQL pool connects on first use: opening one needs no server.
    const postgres = createDatabase('postgres://u@127.0.0.1:1/db')
    expect(postgres.kind).toBe('postgres')
    await postgres.close()
  })
})
