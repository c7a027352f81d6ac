/**
 * The one cache on the authenticated path (embedded SQLite mode only): a verified session cookie →
 * what the auth hook made of it (the session, its user, and the views a route reads). Every
 * authenticated request looks its session up, and the benchmark (bench/me.bench.ts) shows that
 * checking the cookie's HMAC, hashing the id and reading SQLite is most of what `GET /api/me` costs
 * beyond a bare route.
 *
 * The invalidation rule: every write through the repositories drops what it touches (a session
 * write that session's entry, a user write the entries of every session showing that user), and a
 * lookup that overlapped any write is not kept. It is exact because embedded mode holds the SQLite
 * file under an exclusive lock (sql/database.ts): no other process writes it. Callers check expiry
 * on every hit. Distributed mode (other instances write) and PostgreSQL (which others may share)
 * never use it.
 */
import { LRUCache } from 'lru-cache'
import type { Repositories } from '../repositories.js'

/** What an entry is about, so writes can find it. */
export interface CachedSession<V> {
  idHash: string
  userId: number | null
  value: V
}

export interface SessionCache<V = unknown> {
  /** The entry of a verified cookie value, if kept. */
  get(cookie: string): CachedSession<V> | undefined
  /** A mark to take before a lookup; `set` keeps nothing if a write happened since. */
  mark(): number
  /** Keep what a lookup that started at `mark` found for `cookie`. */
  set(cookie: string, entry: CachedSession<V>, mark: number): void
}

export interface SessionCacheOptions {
  /** Sessions kept. Default 10,000. */
  max?: number
}

/** Put the cache in front of `repositories`: the wrapped repositories keep it exact. */
export function withSessionCache<V>(
  repositories: Repositories,
  opts: SessionCacheOptions = {},
): { repositories: Repositories; cache: SessionCache<V> } {
  const { sessions, users } = repositories
  const bySession = new Map<string, string>()
  const byUser = new Map<number, Set<string>>()
  const entries = new LRUCache<string, CachedSession<V>>({
    max: opts.max ?? 10_000,
    dispose(entry, cookie) {
      bySession.delete(entry.idHash)
      if (entry.userId === null) return
      const set = byUser.get(entry.userId)
      set?.delete(cookie)
      if (set?.size === 0) byUser.delete(entry.userId)
    },
  })
  /** Bumped when a write starts and when it ends. */
  let writes = 0

  async function write<T>(run: () => Promise<T>, drop: (result?: T) => void): Promise<T> {
    writes++
    drop()
    try {
      const result = await run()
      drop(result)
      return result
    } finally {
      writes++
    }
  }

  const dropSession = (idHash: string) => {
    const cookie = bySession.get(idHash)
    if (cookie !== undefined) entries.delete(cookie)
  }
  const dropUser = (userId: number) => {
    for (const cookie of [...(byUser.get(userId) ?? [])]) entries.delete(cookie)
  }

  const cache: SessionCache<V> = {
    get: (cookie) => entries.get(cookie),
    mark: () => writes,
    set(cookie, entry, mark) {
      if (mark !== writes) return
      entries.set(cookie, entry)
      bySession.set(entry.idHash, cookie)
      if (entry.userId !== null) {
        let set = byUser.get(entry.userId)
        if (set === undefined) byUser.set(entry.userId, (set = new Set()))
        set.add(cookie)
      }
    },
  }

  return {
    cache,
    repositories: {
      sessions: {
        findWithUser: (idHash, appid, now) => sessions.findWithUser(idHash, appid, now),
        create: (record) =>
          write(
            () => sessions.create(record),
            () => dropSession(record.idHash),
          ),
        update: (idHash, patch) =>
          write(
            () => sessions.update(idHash, patch),
            () => dropSession(idHash),
          ),
        rotate: (idHash, newIdHash, patch) =>
          write(
            () => sessions.rotate(idHash, newIdHash, patch),
            () => {
              dropSession(idHash)
              dropSession(newIdHash)
            },
          ),
        delete: (idHash) =>
          write(
            () => sessions.delete(idHash),
            () => dropSession(idHash),
          ),
        getTokens: (idHash) => sessions.getTokens(idHash),
        deleteExpired: (now) => sessions.deleteExpired(now),
      },
      users: {
        findByOpenid: (appid, openid) => users.findByOpenid(appid, openid),
        findById: (id) => users.findById(id),
        upsertProfile: (appid, profile, now) =>
          write(
            () => users.upsertProfile(appid, profile, now),
            (user) => user && dropUser(user.id),
          ),
        setUnionidIfMissing: (userId, unionid) =>
          write(
            () => users.setUnionidIfMissing(userId, unionid),
            () => dropUser(userId),
          ),
      },
    },
  }
}
