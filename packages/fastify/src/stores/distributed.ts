/**
 * The distributed stores: N instances behind a load balancer. Users in PostgreSQL (read through a
 * short-lived Redis copy); sessions, code outcomes (sealed), the code-exchange lock, follower
 * statuses and the WeChat global-token cache in Redis, so any instance serves any request and one
 * global token serves them all. Nothing about a session is cached in process: another instance may
 * change or end it at any moment.
 */
import { sql } from 'kysely'
import type { FastifyBaseLogger } from 'fastify'
import { createSealer } from '../util/sealer.js'
import { status } from './embedded.js'
import { createRedisCodeExchangeCoordinator } from './redis/code-exchange.js'
import { createRedisCodeOutcomeCache } from './redis/code-outcomes.js'
import { createRedisExchangedTokens } from './redis/exchanged-tokens.js'
import type { RedisConnection } from './redis/connection.js'
import { createRedisLock } from './redis/lock.js'
import { createRedisSessionsStore } from './redis/sessions.js'
import { createRedisSubscriptionCache } from './redis/subscriptions.js'
import { createRedisTokenCache } from './redis/token-cache.js'
import { createRedisUsedStates } from './redis/used-states.js'
import { withRedisUserCache } from './redis/users-cache.js'
import type { SqlDatabase } from './sql/database.js'
import { createSqlUsersStore } from './sql/users.js'
import type { Stores } from './types.js'

/** Build the distributed stores over an open, migrated database and a connected Redis. */
export function createDistributedStores(
  database: SqlDatabase,
  redis: RedisConnection,
  opts: { now: () => number; log: FastifyBaseLogger; cookieSecret: string },
): Stores {
  const { now, log } = opts
  const lock = createRedisLock(redis)
  const users = withRedisUserCache(createSqlUsersStore(database), redis)
  const codeOutcomes = createRedisCodeOutcomeCache(
    redis,
    createSealer(opts.cookieSecret, 'code-outcome-encryption'),
  )
  const pingDatabase = () => sql`select 1`.execute(database.kysely)

  return {
    mode: 'distributed',
    database,
    redis,
    sessionCache: null,
    repositories: { users, sessions: createRedisSessionsStore(redis, users, { now }) },
    coordination: {
      codeOutcomes,
      usedStates: createRedisUsedStates(redis),
      exchangedTokens: createRedisExchangedTokens(
        redis,
        createSealer(opts.cookieSecret, 'exchanged-token-encryption'),
      ),
      codeExchange: createRedisCodeExchangeCoordinator(redis, lock, codeOutcomes, {
        onWarning: (message, error) => log.warn({ err: error }, message),
      }),
      subscriptions: createRedisSubscriptionCache(redis),
      tokenCache: createRedisTokenCache(redis, lock, { now }),
    },
    async checks() {
      const [databaseStatus, redisStatus] = await Promise.all([
        status(pingDatabase),
        status(() => redis.ping()),
      ])
      return { database: databaseStatus, redis: redisStatus }
    },
    async close() {
      await Promise.allSettled([redis.close(), database.close()])
    },
  }
}
