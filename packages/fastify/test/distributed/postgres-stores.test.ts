/**
 * The SQL stores' contract (test/stores/sql-stores.contract.ts) on PostgreSQL: the same queries and
 * the same migrations as on SQLite, each test on a fresh database. `bigint` columns come back from pg
 * as strings; the records must still hold numbers.
 */
import { afterAll, beforeAll, describe } from 'vitest'
import { createDatabase } from '../../src/stores/sql/database.js'
import { describeSqlStores } from '../stores/sql-stores.contract.js'
import { requireServices, startServices, type Services } from './cluster.js'

const enabled = requireServices(['redis', 'postgres'])

describe.skipIf(!enabled)('SQL stores on PostgreSQL', () => {
  let services: Services
  let databases = 0

  beforeAll(async () => {
    services = await startServices()
  })
  afterAll(async () => {
    await services?.stop()
  })

  describeSqlStores(async () =>
    createDatabase(await services.createDatabase(`contract_${++databases}`)),
  )
})
