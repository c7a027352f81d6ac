/**
 * The WeChat client's TokenCache in Redis (distributed mode): the account-wide access token and the
 * jsapi ticket are shared by every instance, so one fetch serves all of them and no instance's fetch
 * supersedes another's (docs/wechat.md#the-global-token).
 * - Each entry is a hash `{ value, expiresAt }` that Redis expires at `expiresAt`.
 * - `deleteIfEquals` is a Lua compare-and-delete: an instance whose call failed with an old token
 *   (40001/42001) never deletes the newer token another instance has already cached.
 * - `withLock` is the cross-instance lock the client takes around a fetch (lock.ts): one
 *   instance fetches, the others wait (bounded) and then re-read the cache.
 * @see https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken
 */
import type { TokenCache } from '@wxauth/wechat'
import type { RedisConnection } from './connection.js'
import type { RedisLock } from './lock.js'

const COMPARE_AND_DELETE = `if redis.call('HGET', KEYS[1], 'value') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`

export interface RedisTokenCacheOptions {
  now?: () => number
  /**
   * How long a fetch may hold the lock without renewing it: a crashed holder blocks the others at
   * most this long. Default 20 s (a stable_token call: 3 attempts of 5 s, plus margin).
   */
  lockTtlMs?: number
}

/** Create the Redis TokenCache. Keys are the client's keys under the connection's prefix. */
export function createRedisTokenCache(
  redis: RedisConnection,
  lock: RedisLock,
  opts: RedisTokenCacheOptions = {},
): TokenCache {
  const now = opts.now ?? Date.now
  const lockTtlMs = opts.lockTtlMs ?? 20_000
  return {
    async get(key) {
      const [value, expiresAt] = await redis.call('token get', (c) =>
        c.hmget(redis.key(key), 'value', 'expiresAt'),
      )
      if (value == null || expiresAt == null) return null
      const entry = { value, expiresAt: Number(expiresAt) }
      return entry.expiresAt > now() ? entry : null
    },
    async set(key, entry) {
      const full = redis.key(key)
      const ttlMs = Math.floor(entry.expiresAt - now())
      if (ttlMs <= 0) {
        await redis.call('token delete', (c) => c.del(full))
        return
      }
      await redis.call('token set', async (c) => {
        const results = await c
          .multi()
          .del(full)
          .hset(full, { value: entry.value, expiresAt: String(entry.expiresAt) })
          .pexpire(full, ttlMs)
          .exec()
        const failed = results?.find(([error]) => error)
        if (results === null || failed) throw failed?.[0] ?? new Error('transaction aborted')
      })
    },
    async deleteIfEquals(key, value) {
      const deleted = await redis.call('token compare-and-delete', (c) =>
        c.eval(COMPARE_AND_DELETE, 1, redis.key(key), value),
      )
      return deleted === 1
    },
    withLock(key, fn) {
      return lock.withLock(redis.key(key), fn, { ttlMs: lockTtlMs })
    },
  }
}
