/**
 * Spent states in Redis (distributed mode): `<prefix>state-used:<sha256(state)>` holds the sha256 of
 * the code the state was spent on, PX its lifetime. Claimed atomically in one script (any instance
 * may receive the second code), so two instances cannot both spend one state on different codes.
 */
import type { RedisConnection } from './connection.js'
import type { UsedStates } from '../coordination.js'

/** 1: unspent (now spent on ARGV[1]) or already spent on ARGV[1]; 0: spent on another code. */
const CLAIM = `local owner = redis.call('GET', KEYS[1])
if owner then
  if owner == ARGV[1] then return 1 end
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`

/** Create the Redis record of spent states. */
export function createRedisUsedStates(redis: RedisConnection): UsedStates {
  return {
    async claim(stateHash, codeHash, ttlMs) {
      const key = redis.key('state-used', stateHash)
      const ttl = String(Math.max(1, Math.floor(ttlMs)))
      return (await redis.call('state claim', (c) => c.eval(CLAIM, 1, key, codeHash, ttl))) === 1
    },
  }
}
