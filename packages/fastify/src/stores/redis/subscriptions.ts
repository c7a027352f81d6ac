/**
 * The follower-status cache in Redis (distributed mode): `<prefix>follower:<appid>:<openid>` holds the
 * JSON FollowerStatus for SUBSCRIPTION_TTL (PX), so a user's status fetched by one instance serves
 * every instance, and `cgi-bin/user/info` is called once per user per TTL, not once per instance.
 */
import type { RedisConnection } from './connection.js'
import type { FollowerStatus, SubscriptionCache } from '../coordination.js'

function parseStatus(json: string): FollowerStatus | null {
  try {
    const value = JSON.parse(json) as Partial<FollowerStatus> | null
    if (value === null || typeof value !== 'object' || typeof value.subscribed !== 'boolean') {
      return null
    }
    const status: FollowerStatus = { subscribed: value.subscribed }
    if (typeof value.subscribeTime === 'number') status.subscribeTime = value.subscribeTime
    if (typeof value.subscribeScene === 'string') status.subscribeScene = value.subscribeScene
    return status
  } catch {
    return null
  }
}

/** Create the Redis follower-status cache. */
export function createRedisSubscriptionCache(redis: RedisConnection): SubscriptionCache {
  const keyOf = (appid: string, openid: string) => redis.key('follower', appid, openid)
  return {
    async get(appid, openid) {
      const json = await redis.call('follower get', (c) => c.get(keyOf(appid, openid)))
      return json === null ? null : parseStatus(json)
    },
    async set(appid, openid, status, ttlMs) {
      await redis.call('follower set', (c) =>
        c.set(keyOf(appid, openid), JSON.stringify(status), 'PX', Math.max(1, Math.floor(ttlMs))),
      )
    },
  }
}
