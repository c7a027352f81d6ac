/**
 * The embedded stores: one process. Users and sessions in the SQL database (a SQLite file by
 * default, which survives restarts; or PostgreSQL for a single instance); code outcomes, the
 * exchange coordinator, follower statuses and the WeChat token cache in process memory. Expired
 * sessions (already ignored by every lookup) are swept every 10 minutes. On SQLite, session lookups
 * go through the one session cache (memory/session-cache.ts).
 */
import { sql } from 'kysely'
import type { FastifyBaseLogger } from 'fastify'
import { createMemoryTokenCache } from '@wxauth/wechat'
import { createLocalCodeExchangeCoordinator } from './memory/code-exchange.js'
import { createMemoryCodeOutcomeCache } from './memory/code-outcomes.js'
import { createMemoryExchangedTokens } from './memory/exchanged-tokens.js'
import { withSessionCache } from './memory/session-cache.js'
import { createMemorySubscriptionCache } from './memory/subscriptions.js'
import { createMemoryUsedStates } from './memory/used-states.js'
import { createSqlSessionsStore } from './sql/sessions.js'
import { createSqlUsersStore } from './sql/users.js'
import type { SqlDatabase } from './sql/database.js'
import type { StoreStatus, Stores } from './types.js'

/** Expired SQL sessions are swept this often. */
const SWEEP_INTERVAL_MS = 10 * 60_000

/** Ping a check; 'down' instead of throwing. */
export async function status(check: () => Promise<unknown>): Promise<StoreStatus> {
  try {
    await check()
    return 'ok'
  } catch {
    return 'down'
  }
}

/** Build the embedded stores over an open, migrated database. */
export function createEmbeddedStores(
  database: SqlDatabase,
  opts: { now: () => number; log: FastifyBaseLogger },
): Stores {
  const { now, log } = opts
  const inSql = { users: createSqlUsersStore(database), sessions: createSqlSessionsStore(database) }
  // Only SQLite is ours alone (an exclusive lock): a PostgreSQL database may have other writers.
  const cached = database.kind === 'sqlite' ? withSessionCache(inSql) : null
  const repositories = cached?.repositories ?? inSql
  const { sessions } = repositories
  if (database.kind === 'postgres') {
    log.warn(
      'PostgreSQL without redisUrl: code outcomes and the WeChat token cache stay in this process; run one instance, or set redisUrl to run several',
    )
  }
  const sweep = async (): Promise<void> => {
    try {
      const removed = await sessions.deleteExpired(now())
      if (removed > 0) log.debug({ removed }, 'expired sessions removed')
    } catch (error) {
      log.warn({ err: error }, 'expired-session sweep failed')
    }
  }
  void sweep()
  const timer = setInterval(() => void sweep(), SWEEP_INTERVAL_MS)
  timer.unref()
  const pingDatabase = () => sql`select 1`.execute(database.kysely)

  return {
    mode: database.kind === 'sqlite' ? 'embedded' : 'postgres',
    database,
    redis: null,
    repositories,
    sessionCache: cached?.cache ?? null,
    coordination: {
      codeOutcomes: createMemoryCodeOutcomeCache({ now }),
      usedStates: createMemoryUsedStates({ now }),
      exchangedTokens: createMemoryExchangedTokens({ now }),
      codeExchange: createLocalCodeExchangeCoordinator(),
      subscriptions: createMemorySubscriptionCache({ now }),
      tokenCache: createMemoryTokenCache(now),
    },
    async checks() {
      return { database: await status(pingDatabase), redis: 'unused' }
    },
    async close() {
      clearInterval(timer)
      await database.close()
    },
  }
}
