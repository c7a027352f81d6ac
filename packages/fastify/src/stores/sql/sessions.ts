/**
 * The sessions repository over SQL. The lookup every authenticated request makes (`findWithUser`)
 * is one primary-key read joined to the user, selecting only what a response needs. On SQLite it is
 * one statement prepared when the store is made and run synchronously on the driver: no query
 * building and no async hand-off per request (GET /api/me is benchmarked). On PostgreSQL it is the
 * same query through Kysely.
 */
import type { Updateable } from 'kysely'
import type { Scope } from '@wxauth/shared'
import type { SessionPatch, SessionsStore, SessionWithUser } from '../repositories.js'
import type { SessionsTable, SqlDatabase } from './database.js'

/** The lookup's row: the session's columns, and the user's under `u_` (null without a user). */
interface JoinedRow {
  user_id: number | null
  openid: string | null
  unionid: string | null
  scope: string
  snapshot: number
  created_at: number | string
  expires_at: number | string
  u_openid: string | null
  u_unionid: string | null
  u_nickname: string | null
  u_headimgurl: string | null
  u_sex: number | null
  u_province: string | null
  u_city: string | null
  u_country: string | null
  u_privilege: string | null
  u_profile_updated_at: number | string | null
  u_created_at: number | string | null
}

function lookupQuery(db: SqlDatabase['kysely'], idHash: string, appid: string, now: number) {
  return db
    .selectFrom('sessions as s')
    .leftJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.user_id',
      's.openid',
      's.unionid',
      's.scope',
      's.snapshot',
      's.created_at',
      's.expires_at',
      'u.openid as u_openid',
      'u.unionid as u_unionid',
      'u.nickname as u_nickname',
      'u.headimgurl as u_headimgurl',
      'u.sex as u_sex',
      'u.province as u_province',
      'u.city as u_city',
      'u.country as u_country',
      'u.privilege as u_privilege',
      'u.profile_updated_at as u_profile_updated_at',
      'u.created_at as u_created_at',
    ])
    .where('s.id_hash', '=', idHash)
    .where('s.appid', '=', appid)
    .where('s.expires_at', '>', now)
}

/** `findWithUser` on SQLite: the same query, prepared once, with named parameters. */
function prepareSqliteLookup(database: Extract<SqlDatabase, { kind: 'sqlite' }>) {
  const compiled = lookupQuery(database.kysely, '$idHash', '$appid', -1).compile()
  const names = compiled.parameters.map((p) => (p === -1 ? 'now' : String(p).slice(1)))
  const statement = database.sqlite.prepare<unknown[], JoinedRow>(compiled.sql)
  return (values: Record<string, unknown>): JoinedRow | undefined =>
    statement.get(names.map((name) => values[name]))
}

function parsePrivilege(json: string | null): string[] {
  if (json === null || json === '[]') return []
  try {
    const value: unknown = JSON.parse(json)
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  } catch {
    return []
  }
}

function toSessionWithUser(row: JoinedRow, idHash: string, appid: string): SessionWithUser {
  const userId = row.user_id === null ? null : Number(row.user_id)
  return {
    session: {
      idHash,
      appid,
      userId,
      openid: row.openid,
      unionid: row.unionid,
      scope: row.scope as Scope,
      snapshot: Number(row.snapshot) === 1,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    },
    user:
      userId === null || row.u_openid === null
        ? null
        : {
            id: userId,
            appid,
            openid: row.u_openid,
            unionid: row.u_unionid,
            nickname: row.u_nickname ?? '',
            headimgurl: row.u_headimgurl ?? '',
            sex: Number(row.u_sex ?? 0),
            province: row.u_province ?? '',
            city: row.u_city ?? '',
            country: row.u_country ?? '',
            privilege: parsePrivilege(row.u_privilege),
            profileUpdatedAt: Number(row.u_profile_updated_at ?? 0),
            createdAt: Number(row.u_created_at ?? 0),
          },
  }
}

/** A patch as column values (only the fields it sets). */
function toColumns(patch: SessionPatch): Updateable<SessionsTable> {
  const set: Updateable<SessionsTable> = {}
  if (patch.userId !== undefined) set.user_id = patch.userId
  if (patch.unionid !== undefined) set.unionid = patch.unionid
  if (patch.scope !== undefined) set.scope = patch.scope
  if (patch.tokens !== undefined) set.tokens = patch.tokens
  return set
}

/** Create the SQL-backed sessions store. */
export function createSqlSessionsStore(database: SqlDatabase): SessionsStore {
  const db = database.kysely
  const sqliteLookup = database.kind === 'sqlite' ? prepareSqliteLookup(database) : null

  return {
    async create(record) {
      await db
        .insertInto('sessions')
        .values({
          id_hash: record.idHash,
          appid: record.appid,
          user_id: record.userId,
          openid: record.openid,
          unionid: record.unionid,
          scope: record.scope,
          snapshot: record.snapshot ? 1 : 0,
          tokens: record.tokens,
          created_at: record.createdAt,
          expires_at: record.expiresAt,
        })
        .execute()
    },

    async findWithUser(idHash, appid, now) {
      const row = sqliteLookup
        ? sqliteLookup({ idHash, appid, now })
        : await lookupQuery(db, idHash, appid, now).executeTakeFirst()
      return row === undefined ? null : toSessionWithUser(row, idHash, appid)
    },

    async getTokens(idHash) {
      const row = await db
        .selectFrom('sessions')
        .select('tokens')
        .where('id_hash', '=', idHash)
        .executeTakeFirst()
      return row?.tokens ?? null
    },

    async update(idHash, patch) {
      const set = toColumns(patch)
      if (Object.keys(set).length === 0) return
      await db.updateTable('sessions').set(set).where('id_hash', '=', idHash).execute()
    },

    async rotate(idHash, newIdHash, patch) {
      // One statement: the row changes its key and its fields together.
      const result = await db
        .updateTable('sessions')
        .set({ ...toColumns(patch), id_hash: newIdHash })
        .where('id_hash', '=', idHash)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },

    async delete(idHash) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
    },

    async deleteExpired(now) {
      const result = await db
        .deleteFrom('sessions')
        .where('expires_at', '<=', now)
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    },
  }
}
