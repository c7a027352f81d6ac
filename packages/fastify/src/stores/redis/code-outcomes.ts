/**
 * Code-exchange outcomes in Redis (distributed mode): `SET <prefix>code-outcome:<sha256(code)>` with
 * a PX expiry of the code's own lifetime (5 minutes), so WeChat's duplicate callback, a reload, or a
 * request that lands on another instance reuses the outcome instead of meeting `40163`.
 * An outcome carries the raw session id it produced, so it is stored sealed (AES-256-GCM, bound to
 * its code hash): reading Redis is not enough to take over a fresh session.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html (code: single use, 5 minutes)
 */
import { isErrorCode, type Scope } from '@wxauth/shared'
import type { RedisConnection } from './connection.js'
import type { Sealer } from '../../util/sealer.js'
import type { CodeOutcome, CodeOutcomeCache } from '../coordination.js'

const SCOPES: ReadonlySet<string> = new Set<Scope>(['snsapi_base', 'snsapi_userinfo'])

/** Read back a decoded outcome, refusing anything that is not one (an old format, a bug). */
function parseOutcome(json: string): CodeOutcome | null {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return null
  }
  if (value === null || typeof value !== 'object') return null
  const v = value as Record<string, unknown>
  if (typeof v.stateHash !== 'string') return null
  if (v.ok === true) {
    if (typeof v.sessionId !== 'string' || typeof v.scope !== 'string' || !SCOPES.has(v.scope)) {
      return null
    }
    return {
      ok: true,
      sessionId: v.sessionId,
      openid: typeof v.openid === 'string' ? v.openid : null,
      scope: v.scope as Scope,
      snapshot: v.snapshot === true,
      stateHash: v.stateHash,
    }
  }
  if (v.ok === false && isErrorCode(v.code)) {
    return {
      ok: false,
      code: v.code,
      message: typeof v.message === 'string' ? v.message : '',
      stateHash: v.stateHash,
    }
  }
  return null
}

/** The outcome cache, plus the sealed wire form the code-exchange coordinator publishes. */
export interface RedisCodeOutcomeCache extends CodeOutcomeCache {
  /** Full Redis key of a code's outcome. */
  keyOf(codeHash: string): string
  /** The sealed form of an outcome (what is stored and published). */
  encode(codeHash: string, outcome: CodeOutcome): string
  /** An outcome back from its sealed form; null when it is not a valid outcome of this code. */
  decode(codeHash: string, sealed: string): CodeOutcome | null
}

/** Create the Redis outcome cache. */
export function createRedisCodeOutcomeCache(
  redis: RedisConnection,
  sealer: Sealer,
): RedisCodeOutcomeCache {
  const keyOf = (codeHash: string) => redis.key('code-outcome', codeHash)
  const encode = (codeHash: string, outcome: CodeOutcome) =>
    sealer.seal(JSON.stringify(outcome), codeHash)
  const decode = (codeHash: string, sealed: string) => {
    const json = sealer.open(sealed, codeHash)
    return json === null ? null : parseOutcome(json)
  }
  return {
    keyOf,
    encode,
    decode,
    async get(codeHash) {
      const sealed = await redis.call('outcome get', (c) => c.get(keyOf(codeHash)))
      return sealed === null ? null : decode(codeHash, sealed)
    },
    async set(codeHash, outcome, ttlMs) {
      await redis.call('outcome set', (c) =>
        c.set(keyOf(codeHash), encode(codeHash, outcome), 'PX', Math.max(1, Math.floor(ttlMs))),
      )
    },
  }
}
