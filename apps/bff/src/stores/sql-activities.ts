/** ActivitiesStore over SQL: the demo activity, who joined, the latest joiners. */
import type { Kysely } from 'kysely'
import type { Database } from './db.js'
import type { ActivitiesStore } from './types.js'

/** Create the SQL-backed activities store. */
export function createSqlActivitiesStore(db: Kysely<Database>): ActivitiesStore {
  return {
    async current() {
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

    async participantCount(activityId) {
      const row = await db
        .selectFrom('activity_participants')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('activity_id', '=', activityId)
        .executeTakeFirst()
      return Number(row?.n ?? 0)
    },

    async latestParticipants(activityId, limit) {
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

    async hasJoined(activityId, userId) {
      const row = await db
        .selectFrom('activity_participants')
        .select('user_id')
        .where('activity_id', '=', activityId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      return row !== undefined
    },

    async join(activityId, userId, now) {
      const result = await db
        .insertInto('activity_participants')
        .values({ activity_id: activityId, user_id: userId, joined_at: now })
        .onConflict((oc) => oc.columns(['activity_id', 'user_id']).doNothing())
        .executeTakeFirst()
      return { created: Number(result.numInsertedOrUpdatedRows ?? 0) > 0 }
    },
  }
}
