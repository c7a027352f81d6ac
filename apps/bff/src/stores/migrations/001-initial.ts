/** Users, sessions and the demo activity with its participants. */
import type { Kysely } from 'kysely'
import { addIdColumn } from './portable.js'

export async function up(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('users'))
    .addColumn('appid', 'text', (col) => col.notNull())
    .addColumn('openid', 'text', (col) => col.notNull())
    .addColumn('unionid', 'text')
    .addColumn('nickname', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('headimgurl', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('sex', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('province', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('city', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('country', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('privilege', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('profile_updated_at', 'bigint', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('users_appid_openid_unique', ['appid', 'openid'])
    .execute()
  await db.schema.createIndex('users_unionid_index').on('users').column('unionid').execute()

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (col) => col.primaryKey())
    .addColumn('appid', 'text', (col) => col.notNull())
    .addColumn('user_id', 'integer', (col) => col.references('users.id').onDelete('cascade'))
    .addColumn('openid', 'text')
    .addColumn('unionid', 'text')
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('snapshot', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('tokens', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .execute()
  await db.schema
    .createIndex('sessions_expires_at_index')
    .on('sessions')
    .column('expires_at')
    .execute()
  await db.schema.createIndex('sessions_user_id_index').on('sessions').column('user_id').execute()

  await addIdColumn(db, db.schema.createTable('activities'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('cover_url', 'text', (col) => col.notNull())
    .addColumn('starts_at', 'bigint', (col) => col.notNull())
    .addColumn('ends_at', 'bigint', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute()

  await db.schema
    .createTable('activity_participants')
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
    .on('activity_participants')
    .columns(['activity_id', 'joined_at'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('activity_participants').execute()
  await db.schema.dropTable('activities').execute()
  await db.schema.dropTable('sessions').execute()
  await db.schema.dropTable('users').execute()
}
