/**
 * The demo's migrations, run by the plugin after its own (`migrations` option): the activity tables
 * (participants reference the plugin's `users.id`), then one H5 activity seeded at first boot with a
 * time window around that moment. The cover is an inline SVG data URL, so the page works offline.
 * `if not exists`: a database made by wxauth 0.1's BFF already has these tables and is adopted.
 */
import { sql, type Kysely, type Migration } from 'kysely'
import { addIdColumn } from '@wxauth/fastify'
import { DEMO_ACTIVITY, DEMO_COVER_URL, demoWindow } from './demo-activity.js'

export { DEMO_ACTIVITY, DEMO_COVER_URL } from './demo-activity.js'

async function seedUp(db: Kysely<unknown>): Promise<void> {
  const now = Date.now()
  const existing = await sql<{ n: number | string }>`select count(*) as n from activities`.execute(
    db,
  )
  if (Number(existing.rows[0]?.n ?? 0) > 0) return
  // Whole hours (Beijing is UTC+8, so a whole UTC hour is a whole hour there too): "14:00", not "14:37".
  const { startsAt, endsAt } = demoWindow(now)
  await sql`insert into activities (title, description, cover_url, starts_at, ends_at, created_at)
    values (${DEMO_ACTIVITY.title}, ${DEMO_ACTIVITY.description}, ${DEMO_COVER_URL},
            ${startsAt}, ${endsAt}, ${now})`.execute(db)
}

async function seedDown(db: Kysely<unknown>): Promise<void> {
  await sql`delete from activities where title = ${DEMO_ACTIVITY.title}`.execute(db)
}

async function tablesUp(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('activities').ifNotExists())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('cover_url', 'text', (col) => col.notNull())
    .addColumn('starts_at', 'bigint', (col) => col.notNull())
    .addColumn('ends_at', 'bigint', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute()
  await db.schema
    .createTable('activity_participants')
    .ifNotExists()
    .addColumn('activity_id', 'integer', (col) =>
      col.notNull().references('activities.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('joined_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('activity_participants_pk', ['activity_id', 'user_id'])
    .execute()
  await db.schema
    .createIndex('activity_participants_latest_index')
    .ifNotExists()
    .on('activity_participants')
    .columns(['activity_id', 'joined_at'])
    .execute()
}

async function tablesDown(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('activity_participants').execute()
  await db.schema.dropTable('activities').execute()
}

/** The demo's migrations, in order (the plugin runs them after its own). */
export const ACTIVITY_MIGRATIONS: Record<string, Migration> = {
  '001-activity-tables': { up: tablesUp, down: tablesDown },
  '002-seed-demo-activity': { up: seedUp, down: seedDown },
}
