/**
 * `app.stores`: the storage adapters chosen from config (DESIGN.md §6). Embedded mode opens the SQLite
 * file, migrates it at boot, and keeps code outcomes in process. Closed with the app.
 */
import fp from 'fastify-plugin'
import { sql } from 'kysely'
import type { Config } from '../config.js'
import { createDatabase, type SqlDatabase } from '../stores/db.js'
import { withSessionCache } from '../stores/cached-sessions.js'
import { createMemoryCodeOutcomeCache } from '../stores/memory-code-outcomes.js'
import { migrateToLatest } from '../stores/migrations/index.js'
import { createSqlActivitiesStore } from '../stores/sql-activities.js'
import { createSqlSessionsStore } from '../stores/sql-sessions.js'
import { createSqlUsersStore } from '../stores/sql-users.js'
import type { Stores } from '../stores/types.js'

declare module 'fastify' {
  interface FastifyInstance {
    stores: Stores
    /** The SQL database behind the stores (maintenance and tests; routes use `stores`). */
    database: SqlDatabase
  }
}

/** Expired sessions are swept this often (they are already ignored by every lookup). */
const SWEEP_INTERVAL_MS = 10 * 60_000

export interface StoresPluginOptions {
  config: Config
  now: () => number
}

export default fp<StoresPluginOptions>(
  async (app, { config, now }) => {
    if (config.redisUrl !== null) {
      throw new Error(
        'REDIS_URL is set, but this build runs embedded only (sessions in SQLite, caches in process); unset it',
      )
    }
    const database = createDatabase(config.databaseUrl)
    const db = database.kysely
    try {
      const applied = await migrateToLatest(db)
      if (applied.length > 0) app.log.info({ migrations: applied }, 'database migrated')
    } catch (error) {
      await database.close()
      throw error
    }

    // The SQLite file is ours alone (exclusive lock), so session lookups can be cached in process.
    const { sessions, users } = withSessionCache(
      { sessions: createSqlSessionsStore(database), users: createSqlUsersStore(db) },
      { now },
    )
    const stores: Stores = {
      users,
      sessions,
      activities: createSqlActivitiesStore(db),
      codeOutcomes: createMemoryCodeOutcomeCache({ now }),
      async ping() {
        await sql`select 1`.execute(db)
      },
      close: () => database.close(),
    }
    app.decorate('stores', stores)
    app.decorate('database', database)

    const sweep = async (): Promise<void> => {
      try {
        const removed = await stores.sessions.deleteExpired(now())
        if (removed > 0) app.log.debug({ removed }, 'expired sessions removed')
      } catch (error) {
        app.log.warn({ err: error }, 'expired-session sweep failed')
      }
    }
    await sweep()
    const timer = setInterval(() => void sweep(), SWEEP_INTERVAL_MS)
    timer.unref()

    app.addHook('onClose', async () => {
      clearInterval(timer)
      await stores.close()
    })
  },
  { name: 'wxauth-stores' },
)
