/**
 * Users (keyed by appid + openid, unionid kept) and sessions (only the sha256 of each id; web tokens
 * sealed). `if not exists` throughout: a database created by wxauth 0.1's BFF, which made these
 * tables under Kysely's default bookkeeping table, is adopted as it is.
 */
import type { Kysely } from 'kysely'
import { addIdColumn } from '../portable.js'

export async function up(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('users').ifNotExists())
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
  await db.schema
    .createIndex('users_unionid_index')
    .ifNotExists()
    .on('users')
    .column('unionid')
    .execute()

  await db.schema
    .createTable('sessions')
    .ifNotExists()
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
    .ifNotExists()
    .on('sessions')
    .column('expires_at')
    .execute()
  await db.schema
    .createIndex('sessions_user_id_index')
    .ifNotExists()
    .on('sessions')
    .column('user_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sessions').execute()
  await db.schema.dropTable('users').execute()
}
