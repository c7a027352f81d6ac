/**
 * SessionsStore in Redis (distributed mode): one hash per session, `<prefix>sess:<sha256(id)>`, that
 * Redis expires at the session's end (PX = expiresAt − now), so any instance finds a session any
 * other instance made, and a logout (DEL) ends it everywhere at once. Only the id's hash is a key;
 * the web tokens inside are sealed (login/token-vault.ts). The user is joined by id from the
 * users store: PostgreSQL, read through its Redis copy (users-cache.ts), and the lookup every
 * authenticated request makes fetches the session and that copy in one Lua call. No in-process
 * caching: another instance may change or end a session at any moment.
 */
import type { Redis } from 'ioredis'
import type { Scope } from '@wxauth/shared'
import type { RedisConnection } from './connection.js'
import type { CachedUsersStore } from './users-cache.js'
import type { NewSession, SessionPatch, SessionsStore, SessionWithUser } from '../repositories.js'

/** The fields `findWithUser` reads, in HMGET order (tokens are read only when needed). */
const FIELDS = [
  'appid',
  'userId',
  'openid',
  'unionid',
  'scope',
  'snapshot',
  'createdAt',
  'expiresAt',
] as const

/**
 * The session's FIELDS plus, when it has a user, that user's cached copy (or false): one round trip.
 * KEYS[1]: the session; ARGV[1]: the user-copy key prefix. (The user key is derived inside the
 * script, so this needs a single Redis server, not Redis Cluster.)
 */
const LOOKUP = `local s = redis.call('HMGET', KEYS[1], ${FIELDS.map((f) => `'${f}'`).join(', ')})
local user = false
if s[2] then user = redis.call('GET', ARGV[1] .. s[2]) end
s[#s + 1] = user
return s`

/** The client with LOOKUP defined as a command (EVALSHA, falling back to EVAL once per server). */
interface LookupClient extends Redis {
  wxauthSessionLookup(key: string, userKeyPrefix: string): Promise<Array<string | null>>
}

/**
 * Patch a session only if it still exists: a logout racing a token refresh must not bring the
 * session back as a key without expiry. ARGV: n, then n field/value pairs, then fields to delete.
 */
const PATCH = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local n = tonumber(ARGV[1])
for i = 2, 1 + n * 2, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
for i = 2 + n * 2, #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) end
return 1`

/**
 * Move a session to a new key (RENAME keeps its expiry), then patch it like PATCH, atomically.
 * KEYS: the old key, the new one. ARGV as PATCH.
 */
const ROTATE = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
local n = tonumber(ARGV[1])
for i = 2, 1 + n * 2, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
for i = 2 + n * 2, #ARGV do redis.call('HDEL', KEYS[2], ARGV[i]) end
return 1`

/** A patch as PATCH/ROTATE arguments: n, the n field/value pairs, then the fields to delete. */
function patchArgs(patch: SessionPatch): string[] {
  const set: string[] = []
  const unset: string[] = []
  const put = (field: string, value: string | number | null | undefined) => {
    if (value === undefined) return
    if (value === null) unset.push(field)
    else set.push(field, String(value))
  }
  put('userId', patch.userId)
  put('unionid', patch.unionid)
  put('scope', patch.scope)
  put('tokens', patch.tokens)
  return [String(set.length / 2), ...set, ...unset]
}

/** A session's hash fields; null values are left out (an absent field reads back as null). */
function toHash(record: NewSession): Record<string, string> {
  const hash: Record<string, string> = {
    appid: record.appid,
    scope: record.scope,
    snapshot: record.snapshot ? '1' : '0',
    createdAt: String(record.createdAt),
    expiresAt: String(record.expiresAt),
  }
  if (record.userId !== null) hash.userId = String(record.userId)
  if (record.openid !== null) hash.openid = record.openid
  if (record.unionid !== null) hash.unionid = record.unionid
  if (record.tokens !== null) hash.tokens = record.tokens
  return hash
}

export interface RedisSessionsOptions {
  /** The clock that session expiries are measured with (epoch ms). */
  now?: () => number
}

/** Create the Redis sessions store; `users` is the users store the sessions point into. */
export function createRedisSessionsStore(
  redis: RedisConnection,
  users: CachedUsersStore,
  opts: RedisSessionsOptions = {},
): SessionsStore {
  const now = opts.now ?? Date.now
  const keyOf = (idHash: string) => redis.key('sess', idHash)
  redis.client.defineCommand('wxauthSessionLookup', { numberOfKeys: 1, lua: LOOKUP })
  const client = redis.client as LookupClient

  return {
    async create(record) {
      const ttlMs = Math.floor(record.expiresAt - now())
      if (ttlMs <= 0) return
      const key = keyOf(record.idHash)
      await redis.call('session create', async (c) => {
        const results = await c.multi().hset(key, toHash(record)).pexpire(key, ttlMs).exec()
        const failed = results?.find(([error]) => error)
        if (results === null || failed) throw failed?.[0] ?? new Error('transaction aborted')
      })
    },

    async findWithUser(idHash, appid, at): Promise<SessionWithUser | null> {
      const values = await redis.call('session lookup', () =>
        client.wxauthSessionLookup(keyOf(idHash), users.userKeyPrefix),
      )
      const [storedAppid, userId, openid, unionid, scope, snapshot, createdAt, expiresAt, cached] =
        values
      if (storedAppid !== appid || scope == null || expiresAt == null) return null
      if (Number(expiresAt) <= at) return null
      const id = userId == null ? null : Number(userId)
      let user = cached == null ? null : users.fromCache(cached)
      if (id !== null && (user === null || user.id !== id)) user = await users.findById(id)
      return {
        session: {
          idHash,
          appid,
          userId: id,
          openid: openid ?? null,
          unionid: unionid ?? null,
          scope: scope as Scope,
          snapshot: snapshot === '1',
          createdAt: Number(createdAt),
          expiresAt: Number(expiresAt),
        },
        user: user !== null && user.appid === appid ? user : null,
      }
    },

    async getTokens(idHash) {
      return redis.call('session tokens', (c) => c.hget(keyOf(idHash), 'tokens'))
    },

    async update(idHash, patch) {
      const args = patchArgs(patch)
      if (args.length === 1) return
      await redis.call('session update', (c) => c.eval(PATCH, 1, keyOf(idHash), ...args))
    },

    async rotate(idHash, newIdHash, patch) {
      const moved = await redis.call('session rotate', (c) =>
        c.eval(ROTATE, 2, keyOf(idHash), keyOf(newIdHash), ...patchArgs(patch)),
      )
      return moved === 1
    },

    async delete(idHash) {
      await redis.call('session delete', (c) => c.del(keyOf(idHash)))
    },

    // Redis expires sessions by itself.
    async deleteExpired() {
      return 0
    },
  }
}
