/**
 * A read-through cache of live sessions for embedded mode. Every authenticated request looks its
 * session up, and in a loaded server a SQLite read costs several times what it costs in isolation
 * (cold caches between requests), far more than the rest of `GET /api/me`. Embedded mode holds the
 * SQLite file under an exclusive lock (stores/db.ts), so every write goes through these stores and
 * the cache is invalidated exactly: a session write drops that session, a user write drops the
 * sessions showing that user. Expiry is checked on every hit; entries are also re-read after
 * `maxAgeMs` as a backstop. Distributed mode (shared Redis/PostgreSQL) must not use this cache.
 */
import type { SessionsStore, SessionWithUser, UsersStore } from './types.js'

interface Entry {
  value: SessionWithUser
  appid: string
  cachedAt: number
}

export interface SessionCacheOptions {
  maxEntries?: number
  maxAgeMs?: number
  now?: () => number
}

/** Wrap the sessions and users stores so that session lookups are served from memory when possible. */
export function withSessionCache(
  stores: { sessions: SessionsStore; users: UsersStore },
  opts: SessionCacheOptions = {},
): { sessions: SessionsStore; users: UsersStore } {
  const { sessions, users } = stores
  const maxEntries = opts.maxEntries ?? 10_000
  const maxAgeMs = opts.maxAgeMs ?? 60_000
  const clock = opts.now ?? Date.now
  const entries = new Map<string, Entry>()
  /** user id → the cached sessions showing that user. */
  const byUser = new Map<number, Set<string>>()
  /** Bumped around every write: a lookup that overlapped a write does not cache what it read. */
  let writeEpoch = 0

  async function write<T>(run: () => Promise<T>, invalidate: (result?: T) => void): Promise<T> {
    writeEpoch++
    invalidate()
    try {
      const result = await run()
      invalidate(result)
      return result
    } finally {
      writeEpoch++
    }
  }

  function forget(idHash: string): void {
    const entry = entries.get(idHash)
    if (entry === undefined) return
    entries.delete(idHash)
    const userId = entry.value.session.userId
    if (userId !== null) {
      const set = byUser.get(userId)
      set?.delete(idHash)
      if (set?.size === 0) byUser.delete(userId)
    }
  }

  function forgetUser(userId: number): void {
    const set = byUser.get(userId)
    if (set === undefined) return
    for (const idHash of [...set]) forget(idHash)
  }

  function remember(idHash: string, appid: string, value: SessionWithUser): void {
    if (entries.size >= maxEntries) {
      const oldest = entries.keys().next().value
      if (oldest !== undefined) forget(oldest)
    }
    entries.set(idHash, { value, appid, cachedAt: clock() })
    const userId = value.session.userId
    if (userId !== null) {
      let set = byUser.get(userId)
      if (set === undefined) byUser.set(userId, (set = new Set()))
      set.add(idHash)
    }
  }

  const cachedSessions: SessionsStore = {
    async findWithUser(idHash, appid, now) {
      const entry = entries.get(idHash)
      if (entry !== undefined) {
        if (entry.appid === appid && clock() - entry.cachedAt < maxAgeMs) {
          return entry.value.session.expiresAt > now ? entry.value : null
        }
        forget(idHash)
      }
      const epoch = writeEpoch
      const value = await sessions.findWithUser(idHash, appid, now)
      if (value !== null && epoch === writeEpoch) remember(idHash, appid, value)
      return value
    },
    create: (record) =>
      write(
        () => sessions.create(record),
        () => forget(record.idHash),
      ),
    update: (idHash, patch) =>
      write(
        () => sessions.update(idHash, patch),
        () => forget(idHash),
      ),
    delete: (idHash) =>
      write(
        () => sessions.delete(idHash),
        () => forget(idHash),
      ),
    getTokens: (idHash) => sessions.getTokens(idHash),
    // Expired entries are already refused on every hit.
    deleteExpired: (now) => sessions.deleteExpired(now),
  }

  const cachedUsers: UsersStore = {
    findByOpenid: (appid, openid) => users.findByOpenid(appid, openid),
    findById: (id) => users.findById(id),
    upsertProfile: (appid, profile, now) =>
      write(
        () => users.upsertProfile(appid, profile, now),
        (user) => {
          if (user) forgetUser(user.id)
        },
      ),
    setUnionidIfMissing: (userId, unionid) =>
      write(
        () => users.setUnionidIfMissing(userId, unionid),
        () => forgetUser(userId),
      ),
  }

  return { sessions: cachedSessions, users: cachedUsers }
}
