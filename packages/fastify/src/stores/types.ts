/**
 * Everything the plugin stores, as one object built by one of two factories:
 * `embedded.ts` (SQLite, or PostgreSQL for one instance; coordination in process) or
 * `distributed.ts` (PostgreSQL + Redis: N instances). `openStores` picks one from the options.
 */
import type { Coordination } from './coordination.js'
import type { SessionCache } from './memory/session-cache.js'
import type { Repositories } from './repositories.js'
import type { RedisConnection } from './redis/connection.js'
import type { SqlDatabase } from './sql/database.js'

/** How each store answers, for `/readyz`. */
export type StoreStatus = 'ok' | 'down'

export interface StoreChecks {
  database: StoreStatus
  /** `unused` in embedded mode. */
  redis: StoreStatus | 'unused'
}

/**
 * Which adapters are in use: `embedded` (SQLite + in process), `postgres` (PostgreSQL + in process:
 * one instance), `distributed` (PostgreSQL + Redis: N instances).
 */
export type StoresMode = 'embedded' | 'postgres' | 'distributed'

/** Everything the plugin stores: the SQL database, the repositories and the coordination. */
export interface Stores {
  mode: StoresMode
  /** The SQL database behind the users repository; the app's own tables live beside ours. */
  database: SqlDatabase
  repositories: Repositories
  coordination: Coordination
  /** The one session cache (memory/session-cache.ts): SQLite only, else null. */
  sessionCache: SessionCache | null
  /** The Redis connection in distributed mode, else null. */
  redis: RedisConnection | null
  /** Each store's status (readiness); never throws. */
  checks(): Promise<StoreChecks>
  /** Close every connection (the plugin's onClose). */
  close(): Promise<void>
}
