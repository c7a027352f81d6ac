/**
 * Which stores the plugin runs on, chosen from the options once at registration:
 * - no `redisUrl` → `createEmbeddedStores` (embedded.ts): SQLite by default, or PostgreSQL for one
 *   instance; coordination in process;
 * - `redisUrl` (with a `postgres://` database) → `createDistributedStores` (distributed.ts).
 * The database is opened and migrated first (the plugin's migrations, then the app's); a failure
 * closes whatever was opened.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { Settings } from '../options.js'
import { createDistributedStores } from './distributed.js'
import { createEmbeddedStores } from './embedded.js'
import { connectRedis } from './redis/connection.js'
import { createDatabase, type SqlDatabase } from './sql/database.js'
import { MIGRATION_TABLES, WXAUTH_MIGRATIONS, migrateToLatest } from './sql/migrations/index.js'
import type { Stores } from './types.js'

export type { Stores } from './types.js'

/** Open the SQL database and bring both sets of migrations up to date. */
async function openDatabase(settings: Settings, log: FastifyBaseLogger): Promise<SqlDatabase> {
  const database = createDatabase(settings.databaseUrl, {
    onIdleError: (error) => log.warn({ err: error }, 'idle database connection failed'),
  })
  try {
    const ours = await migrateToLatest(database.kysely, WXAUTH_MIGRATIONS, MIGRATION_TABLES.wxauth)
    const theirs = await migrateToLatest(database.kysely, settings.migrations, MIGRATION_TABLES.app)
    if (ours.length + theirs.length > 0) {
      log.info({ migrations: [...ours, ...theirs] }, 'database migrated')
    }
  } catch (error) {
    await database.close()
    throw error
  }
  return database
}

/** Open the stores the options ask for. The caller closes them (`stores.close()`). */
export async function openStores(settings: Settings, log: FastifyBaseLogger): Promise<Stores> {
  const database = await openDatabase(settings, log)
  if (settings.redisUrl === null) return createEmbeddedStores(database, { now: settings.now, log })
  try {
    const redis = await connectRedis(settings.redisUrl, { log, keyPrefix: settings.redisKeyPrefix })
    return createDistributedStores(database, redis, {
      now: settings.now,
      log,
      cookieSecret: settings.cookieSecret,
    })
  } catch (error) {
    await database.close()
    throw error
  }
}
