/**
 * The demo's business data, in the plugin's database beside its tables: one H5 activity and who
 * joined it (participants reference `users.id`). Kysely queries on SQLite and PostgreSQL alike.
 */
import type { Generated, Kysely } from 'kysely'
import type { WechatAuthTables } from '@wxauth/fastify'

/** Epoch milliseconds. `bigint` columns: numbers from SQLite, strings from PostgreSQL (use Number()). */
type Millis = number | string

export interface ActivitiesTable {
  id: Generated<number>
  title: string
  description: string
  cover_url: string
  starts_at: Millis
  ends_at: Millis
  created_at: Millis
}

export interface ActivityParticipantsTable {
  activity_id: number
  user_id: number
  joined_at: Millis
}

/** The demo's tables (a type alias: Kysely's `withTables` wants an index-signature-compatible type). */
export type ActivityTables = {
  activities: ActivitiesTable
  activity_participants: ActivityParticipantsTable
}

/** The demo H5 activity. */
export interface ActivityRecord {
  id: number
  title: string
  description: string
  coverUrl: string
  startsAt: number
  endsAt: number
}

/** Create the activities store over the plugin's database. */
export function createActivitiesStore(db: Kysely<WechatAuthTables & ActivityTables>) {
  return {
    /** The activity on show (the newest one). */
    async current(): Promise<ActivityRecord | null> {
      const row = await db
        .selectFrom('activities')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst()
      if (!row) return null
      return {
        id: Number(row.id),
        title: row.title,
        description: row.description,
        coverUrl: row.cover_url,
        startsAt: Number(row.starts_at),
        endsAt: Number(row.ends_at),
      }
    },

    async participantCount(activityId: number) {
      const row = await db
        .selectFrom('activity_participants')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('activity_id', '=', activityId)
        .executeTakeFirst()
      return Number(row?.n ?? 0)
    },

    /** Latest joiners first: public fields only. */
    async latestParticipants(activityId: number, limit: number) {
      return db
        .selectFrom('activity_participants as p')
        .innerJoin('users as u', 'u.id', 'p.user_id')
        .select(['u.nickname', 'u.headimgurl'])
        .where('p.activity_id', '=', activityId)
        .orderBy('p.joined_at', 'desc')
        .orderBy('p.user_id', 'desc')
        .limit(limit)
        .execute()
    },

    async hasJoined(activityId: number, userId: number) {
      const row = await db
        .selectFrom('activity_participants')
        .select('user_id')
        .where('activity_id', '=', activityId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      return row !== undefined
    },

    /** Idempotent; `created` is false when the user had already joined. */
    async join(activityId: number, userId: number, now: number) {
      const result = await db
        .insertInto('activity_participants')
        .values({ activity_id: activityId, user_id: userId, joined_at: now })
        .onConflict((oc) => oc.columns(['activity_id', 'user_id']).doNothing())
        .executeTakeFirst()
      return { created: Number(result.numInsertedOrUpdatedRows ?? 0) > 0 }
    },
  }
}

/** The activities store. */
export type ActivitiesStore = ReturnType<typeof createActivitiesStore>
