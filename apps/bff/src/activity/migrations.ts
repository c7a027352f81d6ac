/**
 * The demo's migrations, run by the plugin after its own (`migrations` option): the activity tables
 * (participants reference the plugin's `users.id`), then one H5 activity seeded at first boot with a
 * time window around that moment. The cover is an inline SVG data URL, so the page works offline.
 * `if not exists`: a database made by wxauth 0.1's BFF already has these tables and is adopted.
 */
import { sql, type Kysely, type Migration } from 'kysely'
import { addIdColumn } from '@wxauth/fastify'

const DAY_MS = 86_400_000

const COVER_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="750" height="400" viewBox="0 0 750 400">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#c81d25"/><stop offset="1" stop-color="#7a0c12"/></linearGradient></defs>
<rect width="750" height="400" fill="url(#g)"/>
<circle cx="640" cy="90" r="120" fill="#f6c945" opacity=".18"/><circle cx="90" cy="360" r="150" fill="#f6c945" opacity=".12"/>
<rect x="300" y="70" width="150" height="150" rx="12" transform="rotate(45 375 145)" fill="#f6c945"/>
<text x="375" y="172" font-size="84" text-anchor="middle" fill="#c81d25" font-family="serif" font-weight="bold">福</text>
<text x="375" y="300" font-size="44" text-anchor="middle" fill="#fff4d6" font-family="sans-serif" font-weight="bold">2026 新春线上打卡</text>
<text x="375" y="350" font-size="24" text-anchor="middle" fill="#fff4d6" opacity=".85" font-family="sans-serif">连续打卡 · 集福卡 · 赢好礼</text>
</svg>`

/** `data:` URL of the demo cover. */
export const DEMO_COVER_URL = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(COVER_SVG.replace(/\n/g, ''))}`

export const DEMO_ACTIVITY = {
  title: '2026 新春线上打卡活动',
  description:
    '新春佳节，线上打卡迎好运：活动期间每天来打个卡，集齐五张福卡即可参与抽奖。' +
    '报名只需一次微信授权，我们只使用你的昵称和头像展示在参与者列表中。',
}

async function seedUp(db: Kysely<unknown>): Promise<void> {
  const now = Date.now()
  const existing = await sql<{ n: number | string }>`select count(*) as n from activities`.execute(
    db,
  )
  if (Number(existing.rows[0]?.n ?? 0) > 0) return
  await sql`insert into activities (title, description, cover_url, starts_at, ends_at, created_at)
    values (${DEMO_ACTIVITY.title}, ${DEMO_ACTIVITY.description}, ${DEMO_COVER_URL},
            ${now - DAY_MS}, ${now + 60 * DAY_MS}, ${now})`.execute(db)
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
