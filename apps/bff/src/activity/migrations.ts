/**
 * The demo's migrations, run by the plugin after its own (`migrations` option): the activity tables
 * (participants reference the plugin's `users.id`), then one H5 activity seeded at first boot with a
 * time window around that moment. The cover is an inline SVG data URL, so the page works offline.
 * `if not exists`: a database made by wxauth 0.1's BFF already has these tables and is adopted.
 */
import { sql, type Kysely, type Migration } from 'kysely'
import { addIdColumn } from '@wxauth/fastify'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
/** How long the seeded activity runs: its title says so, so it is true whenever the demo boots. */
const DEMO_DAYS = 60

const COVER_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="750" height="400" viewBox="0 0 750 400">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#07c160"/><stop offset="1" stop-color="#05773b"/></linearGradient></defs>
<rect width="750" height="400" fill="url(#g)"/>
<circle cx="640" cy="90" r="120" fill="#fff" opacity=".12"/><circle cx="90" cy="360" r="150" fill="#fff" opacity=".08"/>
<circle cx="375" cy="140" r="78" fill="#fff"/>
<path d="M337 142l26 26 52-56" fill="none" stroke="#07c160" stroke-width="16" stroke-linecap="round" stroke-linejoin="round"/>
<text x="375" y="300" font-size="44" text-anchor="middle" fill="#fff" font-family="sans-serif" font-weight="bold">${DEMO_DAYS} 天线上打卡挑战</text>
<text x="375" y="350" font-size="24" text-anchor="middle" fill="#fff" opacity=".85" font-family="sans-serif">每日打卡 · 坚持到底 · 赢好礼</text>
</svg>`

/** `data:` URL of the demo cover. */
export const DEMO_COVER_URL = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(COVER_SVG.replace(/\n/g, ''))}`

/**
 * The seeded activity. Its window starts the day before the first boot and lasts {@link DEMO_DAYS}
 * days, so the title names no season or year: a fixed festival date would be over for anyone who
 * clones the demo later, and its 报名 button would say 活动已结束.
 */
export const DEMO_ACTIVITY = {
  title: `${DEMO_DAYS} 天线上打卡挑战`,
  description:
    `连续 ${DEMO_DAYS} 天，每天来打个卡：坚持打卡满 21 天即可参与抽奖，满 ${DEMO_DAYS} 天再得一份纪念好礼。` +
    '报名只需一次微信授权，我们只使用你的昵称和头像展示在参与者列表中。',
}

async function seedUp(db: Kysely<unknown>): Promise<void> {
  const now = Date.now()
  const existing = await sql<{ n: number | string }>`select count(*) as n from activities`.execute(
    db,
  )
  if (Number(existing.rows[0]?.n ?? 0) > 0) return
  // Whole hours (Beijing is UTC+8, so a whole UTC hour is a whole hour there too): "14:00", not "14:37".
  const startsAt = Math.floor((now - DAY_MS) / HOUR_MS) * HOUR_MS
  await sql`insert into activities (title, description, cover_url, starts_at, ends_at, created_at)
    values (${DEMO_ACTIVITY.title}, ${DEMO_ACTIVITY.description}, ${DEMO_COVER_URL},
            ${startsAt}, ${startsAt + DEMO_DAYS * DAY_MS}, ${now})`.execute(db)
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
