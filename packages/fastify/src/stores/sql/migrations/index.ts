/**
 * Migrations run at registration: the plugin's own first, then the app's (`migrations` option),
 * each set with its own bookkeeping tables, so the two never collide and an app's migration may
 * reference `users.id`. Imported statically (no folder scanning: src/ and dist/ behave the same). On
 * PostgreSQL, Kysely's Migrator holds an advisory lock while it migrates, so instances booting
 * together run each migration once.
 */
import { Migrator, type Kysely, type Migration } from 'kysely'
import * as initial from './001-initial.js'

/** The plugin's migrations, in order. */
export const WXAUTH_MIGRATIONS: Record<string, Migration> = {
  '001-initial': initial,
}

/** Bookkeeping tables: the plugin's, and the app's. */
export const MIGRATION_TABLES = {
  wxauth: {
    migrationTableName: 'wxauth_migration',
    migrationLockTableName: 'wxauth_migration_lock',
  },
  app: { migrationTableName: 'app_migration', migrationLockTableName: 'app_migration_lock' },
} as const

/** Bring one set of migrations up to date; the names applied. Throws with the failing migration's error. */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  migrations: Record<string, Migration>,
  tables: (typeof MIGRATION_TABLES)[keyof typeof MIGRATION_TABLES],
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...tables,
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
