/**
 * `app.stores`: the storage adapters chosen from config (DESIGN.md §6), migrated at boot, closed with
 * the app.
 * - embedded (default, `sqlite:`): users and sessions in the SQLite file (session lookups cached in
 *   process: the file is ours alone), code outcomes and the global-token cache in process;
 * - postgres (`postgres://`, no REDIS_URL): users and sessions in PostgreSQL, caches in process: one
 *   instance (a second one would not share code outcomes or the token);
 * - distributed (`postgres://` + REDIS_URL): users in PostgreSQL (read through a short-lived Redis
 *   copy); sessions, code outcomes, the code-exchange lock, the global-token cache and follower
 *   statuses in Redis: N instances behind a load balancer.
 */
import fp from 'fastify-plugin'
import { sql } from 'kysely'
import { createMemoryTokenCache } from '@wxauth/wechat'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../config.js'
import { withSessionCache } from '../stores/cached-sessions.js'
import { createDatabase, type SqlDatabase } from '../stores/db.js'
import { createLocalCodeExchangeCoordinator } from '../stores/local-code-exchange.js'
import { createMemoryCodeOutcomeCache } from '../stores/memory-code-outcomes.js'
import { createMemorySubscriptionCache } from '../stores/memory-subscriptions.js'
import { migrateToLatest } from '../stores/migrations/index.js'
import { connectRedis, type RedisConnection } from '../stores/redis.js'
import { createRedisCodeExchangeCoordinator } from '../stores/redis-code-exchange.js'
import { createRedisCodeOutcomeCache } from '../stores/redis-code-outcomes.js'
import { createRedisLock } from '../stores/redis-lock.js'
import { createRedisSessionsStore } from '../stores/redis-sessions.js'
import { createRedisSubscriptionCache } from '../stores/redis-subscriptions.js'
import { createRedisTokenCache } from '../stores/redis-token-cache.js'
import { withRedisUserCache } from '../stores/redis-users.js'
import { createSealer } from '../stores/sealer.js'
import { createSqlActivitiesStore } from '../stores/sql-activities.js'
import { createSqlSessionsStore } from '../stores/sql-sessions.js'
import { createSqlUsersStore } from '../stores/sql-users.js'
import type { StoreChecks, Stores, StoreStatus } from '../stores/types.js'

declare module 'fastify' {
  interface FastifyInstance {
    stores: Stores
    /** The SQL database behind the stores (maintenance and tests; routes use `stores`). */
    database: SqlDatabase
    /** The Redis connection in distributed mode, else null (maintenance and tests). */
    redis: RedisConnection | null
  }
}

/** Expired SQL sessions are swept this often (they are already ignored by every lookup). */
const SWEEP_INTERVAL_MS = 10 * 60_000

export interface StoresPluginOptions {
  config: Config
  now: () => number
  /** Prefix of every Redis key and channel. Default `wxauth:`. */
  redisKeyPrefix?: string
}

async function status(check: () => Promise<unknown>): Promise<StoreStatus> {
  try {
    await check()
    return 'ok'
  } catch {
    return 'down'
  }
}

/** Open the SQL database and bring its schema up to date (safe when N instances boot at once). */
async function openDatabase(config: Config, log: FastifyBaseLogger): Promise<SqlDatabase> {
  const database = createDatabase(config.databaseUrl, {
    onIdleError: (error) => log.warn({ err: error }, 'idle database connection failed'),
  })
  try {
    // On PostgreSQL, Kysely's Migrator holds an advisory lock while it migrates: instances booting
    // together run the migrations once, one after the other.
    const applied = await migrateToLatest(database.kysely)
    if (applied.length > 0) log.info({ migrations: applied }, 'database migrated')
  } catch (error) {
    await database.close()
    throw error
  }
  return database
}

export default fp<StoresPluginOptions>(
  async (app, { config, now, redisKeyPrefix }) => {
    const database = await openDatabase(config, app.log)
    const db = database.kysely
    const pingDatabase = async () => {
      await sql`select 1`.execute(db)
    }

    let redis: RedisConnection | null = null
    if (config.redisUrl !== null) {
      try {
        redis = await connectRedis(config.redisUrl, {
          log: app.log,
          ...(redisKeyPrefix === undefined ? {} : { keyPrefix: redisKeyPrefix }),
        })
      } catch (error) {
        await database.close()
        throw error
      }
    }

    let stores: Stores
    if (redis !== null) {
      const connection = redis
      const lock = createRedisLock(connection)
      const users = withRedisUserCache(createSqlUsersStore(database), connection)
      const codeOutcomes = createRedisCodeOutcomeCache(
        connection,
        createSealer(config.cookieSecret, 'code-outcome-encryption'),
      )
      stores = {
        mode: 'distributed',
        users,
        sessions: createRedisSessionsStore(connection, users, { now }),
        activities: createSqlActivitiesStore(db),
        codeOutcomes,
        subscriptions: createRedisSubscriptionCache(connection),
        codeExchange: createRedisCodeExchangeCoordinator(connection, lock, codeOutcomes, {
          onWarning: (message, error) => app.log.warn({ err: error }, message),
        }),
        tokenCache: createRedisTokenCache(connection, lock, { now }),
        async ping() {
          await Promise.all([pingDatabase(), connection.ping()])
        },
        async checks(): Promise<StoreChecks> {
          const [databaseStatus, redisStatus] = await Promise.all([
            status(pingDatabase),
            status(() => connection.ping()),
          ])
          return { database: databaseStatus, redis: redisStatus }
        },
        async close() {
          await Promise.allSettled([connection.close(), database.close()])
        },
      }
    } else {
      const sqlStores = {
        sessions: createSqlSessionsStore(database),
        users: createSqlUsersStore(database),
      }
      // The session cache is only sound while this process is the only writer: the SQLite file is
      // held under an exclusive lock; PostgreSQL may be shared.
      const { sessions, users } =
        database.kind === 'sqlite' ? withSessionCache(sqlStores, { now }) : sqlStores
      if (database.kind === 'postgres') {
        app.log.warn(
          'PostgreSQL without REDIS_URL: code outcomes and the WeChat token cache stay in this process; run one instance, or set REDIS_URL to run several',
        )
      }
      stores = {
        mode: database.kind === 'sqlite' ? 'embedded' : 'postgres',
        users,
        sessions,
        activities: createSqlActivitiesStore(db),
        codeOutcomes: createMemoryCodeOutcomeCache({ now }),
        subscriptions: createMemorySubscriptionCache({ now }),
        codeExchange: createLocalCodeExchangeCoordinator(),
        tokenCache: createMemoryTokenCache(now),
        ping: pingDatabase,
        async checks(): Promise<StoreChecks> {
          return { database: await status(pingDatabase), redis: 'unused' }
        },
        close: () => database.close(),
      }
    }
    app.decorate('stores', stores)
    app.decorate('database', database)
    app.decorate('redis', redis)

    let timer: NodeJS.Timeout | undefined
    if (stores.mode !== 'distributed') {
      const sweep = async (): Promise<void> => {
        try {
          const removed = await stores.sessions.deleteExpired(now())
          if (removed > 0) app.log.debug({ removed }, 'expired sessions removed')
        } catch (error) {
          app.log.warn({ err: error }, 'expired-session sweep failed')
        }
      }
      await sweep()
      timer = setInterval(() => void sweep(), SWEEP_INTERVAL_MS)
      timer.unref()
    }

    app.addHook('onClose', async () => {
      clearInterval(timer)
      await stores.close()
    })
  },
  { name: 'wxauth-stores' },
)
