/** The users repository over SQL (Kysely): the same queries on SQLite and PostgreSQL. */
import { sql, type Selectable } from 'kysely'
import type { UserProfile, UserRecord, UsersStore } from '../repositories.js'
import type { SqlDatabase, UsersTable } from './database.js'

function parsePrivilege(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json)
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  } catch {
    return []
  }
}

/** A users row to a record. */
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
  return {
    async findById(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
      return row ? toUserRecord(row) : null
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
