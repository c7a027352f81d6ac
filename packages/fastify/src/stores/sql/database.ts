/**
 * The Kysely instance behind the SQL repositories, chosen from `databaseUrl`: `sqlite:<path>` over
 * better-sqlite3 (embedded mode) or `postgres://…` over a `pg.Pool` (N instances). Callers see
 * `Kysely<Database>`, and one set of migrations serves both. On SQLite the driver is also exposed,
 * for the one synchronous lookup every authenticated request makes (sql/sessions.ts).
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, type Generated } from 'kysely'
import pg from 'pg'

/** Epoch milliseconds. `bigint` columns: numbers from SQLite, strings from PostgreSQL (use Number()). */
type Millis = number | string

export interface UsersTable {
  id: Generated<number>
  appid: string
  openid: string
  unionid: string | null
  nickname: string
  headimgurl: string
  sex: number
  province: string
  city: string
  country: string
  /** JSON array of strings. */
  privilege: string
  profile_updated_at: Millis
  created_at: Millis
  updated_at: Millis
}

export interface SessionsTable {
  id_hash: string
  appid: string
  user_id: number | null
  openid: string | null
  unionid: string | null
  scope: string
  /** 0/1 (portable across SQLite and PostgreSQL). */
  snapshot: number
  tokens: string | null
  created_at: Millis
  expires_at: Millis
}

/** The plugin's tables. An app's own tables live in the same database (its own Kysely types). */
export interface Database {
  users: UsersTable
  sessions: SessionsTable
}

/** Parsed DATABASE_URL. */
export type DatabaseTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string }

/** `sqlite:/abs/file.sqlite`, `sqlite::memory:`, `postgres://…`. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', path: url.slice('sqlite:'.length) }
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url }
  throw new Error('DATABASE_URL must start with sqlite: or postgres://')
}

/** A database: Kysely for building and running queries; on SQLite, the driver too. */
export type SqlDatabase =
  | {
      kind: 'sqlite'
      kysely: Kysely<Database>
      sqlite: BetterSqlite3.Database
      close(): Promise<void>
    }
  | { kind: 'postgres'; kysely: Kysely<Database>; close(): Promise<void> }

export interface DatabaseOptions {
  /** Called with errors of idle PostgreSQL connections (a restart, a network cut): log, never crash. */
  onIdleError?: (error: Error) => void
  /** PostgreSQL pool size per instance. Default 10. */
  poolSize?: number
}

/**
 * PostgreSQL over a `pg.Pool`. Connections are opened on demand and replaced when they break, so the
 * database coming back needs no restart. `bigint` columns come back as strings (pg's default for
 * int8, which may exceed 2^53); the stores read them with Number(), epoch ms being far below that.
 */
function createPostgresDatabase(url: string, opts: DatabaseOptions): SqlDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    // Fail a request quickly when the database is unreachable (503) instead of queueing it forever.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  })
  // Without a listener an idle client's error (the server restarting) would crash the process.
  pool.on('error', (error) => opts.onIdleError?.(error))
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { kind: 'postgres', kysely, close: () => kysely.destroy() }
}

/** Open the database named by `url`. The caller owns it: `await database.close()`. */
export function createDatabase(url: string, opts: DatabaseOptions = {}): SqlDatabase {
  const target = parseDatabaseUrl(url)
  if (target.kind === 'postgres') return createPostgresDatabase(target.url, opts)
  if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true })
  const sqlite = new BetterSqlite3(target.path)
  // Embedded mode means one process owns the file: an exclusive lock, taken before WAL is switched on,
  // keeps the WAL index in process memory, so a read costs no file-locking system calls (the session
  // lookup runs on every request), and a second process opening the same file by mistake is refused.
  // https://www.sqlite.org/pragma.html#pragma_locking_mode , https://www.sqlite.org/wal.html#noshm
  sqlite.pragma('locking_mode = EXCLUSIVE')
  // WAL: a crash mid-write never corrupts; NORMAL sync is durable across process crashes in WAL.
  // https://www.sqlite.org/wal.html , https://www.sqlite.org/pragma.html#pragma_synchronous
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  return { kind: 'sqlite', kysely, sqlite, close: () => kysely.destroy() }
}
