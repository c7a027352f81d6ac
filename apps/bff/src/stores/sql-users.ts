/** UsersStore over SQL (Kysely): the same queries on SQLite and PostgreSQL. */
import { sql, type CompiledQuery, type Kysely, type Selectable } from 'kysely'
import type { Database, SqlDatabase, UsersTable } from './db.js'
import type { UserProfile, UserRecord, UsersStore } from './types.js'

/** The users columns, in the order `findById`'s precompiled query selects them. */
const USER_COLUMNS = [
  'id',
  'appid',
  'openid',
  'unionid',
  'nickname',
  'headimgurl',
  'sex',
  'province',
  'city',
  'country',
  'privilege',
  'profile_updated_at',
  'created_at',
  'updated_at',
] as const

/** `select <USER_COLUMNS> from users where id = ?`, compiled once (the parameter is a placeholder). */
function compileFindById(db: Kysely<Database>): CompiledQuery {
  return db.selectFrom('users').select(USER_COLUMNS).where('id', '=', 0).compile()
}

function parsePrivilege(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json)
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  } catch {
    return []
  }
}

/** A users row (possibly prefixed columns already renamed) to a record. */
export function toUserRecord(row: Selectable<UsersTable>): UserRecord {
  return {
    id: Number(row.id),
    appid: row.appid,
    openid: row.openid,
    unionid: row.unionid,
    nickname: row.nickname,
    headimgurl: row.headimgurl,
    sex: Number(row.sex),
    province: row.province,
    city: row.city,
    country: row.country,
    privilege: parsePrivilege(row.privilege),
    profileUpdatedAt: Number(row.profile_updated_at),
    createdAt: Number(row.created_at),
  }
}

/** Create the SQL-backed users store. */
export function createSqlUsersStore(database: SqlDatabase): UsersStore {
  const db = database.kysely
  const byId = compileFindById(db)
  return {
    async findById(id) {
      // Every authenticated request in distributed mode makes this lookup: no per-call query building.
      const values = await database.firstRowValues(byId, [id])
      if (values === undefined) return null
      const row = Object.fromEntries(USER_COLUMNS.map((column, i) => [column, values[i]]))
      return toUserRecord(row as unknown as Selectable<UsersTable>)
    },

    async findByOpenid(appid, openid) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('appid', '=', appid)
        .where('openid', '=', openid)
        .executeTakeFirst()
      return row ? toUserRecord(row) : null
    },

    async upsertProfile(appid: string, profile: UserProfile, now: number) {
      const values = {
        nickname: profile.nickname,
        headimgurl: profile.headimgurl,
        sex: profile.sex,
        province: profile.province,
        city: profile.city,
        country: profile.country,
        privilege: JSON.stringify(profile.privilege),
        profile_updated_at: now,
        updated_at: now,
      }
      const row = await db
        .insertInto('users')
        .values({
          ...values,
          appid,
          openid: profile.openid,
          unionid: profile.unionid ?? null,
          created_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['appid', 'openid']).doUpdateSet({
            ...values,
            // The refresh path's profile may lack a unionid: never erase one we know.
            unionid: sql<string | null>`coalesce(excluded.unionid, users.unionid)`,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow()
      return toUserRecord(row)
    },

    async setUnionidIfMissing(userId, unionid) {
      await db
        .updateTable('users')
        .set({ unionid })
        .where('id', '=', userId)
        .where('unionid', 'is', null)
        .execute()
    },
  }
}
