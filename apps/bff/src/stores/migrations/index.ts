/**
 * The migrations, in order, imported statically (no folder scanning, so src/ and dist/ behave the
 * same). They run at boot (`plugins/stores.ts`).
 */
import { Migrator, type Kysely, type Migration } from 'kysely'
import * as initial from './001-initial.js'
import * as seedDemoActivity from './002-seed-demo-activity.js'

const MIGRATIONS: Record<string, Migration> = {
  '001-initial': initial,
  '002-seed-demo-activity': seedDemoActivity,
}

/** Bring the schema up to date; throws with the failing migration's error. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
