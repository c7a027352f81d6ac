/**
 * Helpers that keep one set of migrations valid on both SQLite and PostgreSQL: `text`, `integer` and
 * `bigint` (epoch ms) mean the same on both; only the auto-increment id needs a per-dialect spelling.
 */
import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely'

/** Is this Kysely instance talking to PostgreSQL? */
export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

/** Add an auto-increment integer primary key `id` (`serial` on PostgreSQL). */
export function addIdColumn<T extends string>(
  db: Kysely<unknown>,
  table: CreateTableBuilder<T, never>,
): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? table.addColumn('id', 'serial', (col) => col.primaryKey())
    : table.addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
}
