/**
 * Codes WeChat already answered, in Redis (distributed mode): `<prefix>code-token:<sha256(code)>`,
 * sealed (AES-256-GCM, bound to the code hash: it holds web tokens), PX the code's lifetime, so a
 * retry on any instance resumes the sign-in without exchanging the code again.
 */
import type { WebToken } from '@wxauth/wechat'
import type { Sealer } from '../../util/sealer.js'
import type { ExchangedToken, ExchangedTokens } from '../coordination.js'
import type { RedisConnection } from './connection.js'

function parse(json: string): ExchangedToken | null {
  try {
    const value = JSON.parse(json) as Partial<ExchangedToken> | null
    const token = value?.token as Partial<WebToken> | undefined
    if (
      typeof value?.startedAt !== 'number' ||
      typeof value.stateHash !== 'string' ||
      typeof token?.access_token !== 'string' ||
      typeof token.openid !== 'string'
    ) {
      return null
    }
    return value as ExchangedToken
  } catch {
    return null
  }
}

/** Create the Redis record of exchanged codes. */
export function createRedisExchangedTokens(
  redis: RedisConnection,
  sealer: Sealer,
): ExchangedTokens {
  const keyOf = (codeHash: string) => redis.key('code-token', codeHash)
  return {
    async get(codeHash) {
      const sealed = await redis.call('code token get', (c) => c.get(keyOf(codeHash)))
      const json = sealed === null ? null : sealer.open(sealed, codeHash)
      return json === null ? null : parse(json)
    },
    async set(codeHash, exchanged, ttlMs) {
      const sealed = sealer.seal(JSON.stringify(exchanged), codeHash)
      const ttl = Math.max(1, Math.floor(ttlMs))
      await redis.call('code token set', (c) => c.set(keyOf(codeHash), sealed, 'PX', ttl))
    },
    async delete(codeHash) {
      await redis.call('code token delete', (c) => c.del(keyOf(codeHash)))
    },
  }
}
