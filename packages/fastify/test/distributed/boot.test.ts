/**
 * Booting on PostgreSQL: several instances starting at once on a fresh database all come up, and the
 * schema and the demo seed are applied once (Kysely's Migrator holds a PostgreSQL advisory lock while
 * it migrates). PostgreSQL without REDIS_URL is a supported single-instance mode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import {
  requireServices,
  startCluster,
  startServices,
  type Cluster,
  type Services,
} from './cluster.js'

const enabled = requireServices(['redis', 'postgres'])

describe.skipIf(!enabled)('booting on PostgreSQL', () => {
  let services: Services
  const clusters: Cluster[] = []

  beforeAll(async () => {
    services = await startServices()
  })
  afterAll(async () => {
    for (const cluster of clusters) await cluster.close()
    await services?.stop()
  })

  it('4 instances booting at once on a fresh database: all succeed, the schema is applied once', async () => {
    const databaseUrl = await services.createDatabase('concurrent_boot')
    const cluster = await startCluster(services, { instances: 0, databaseUrl })
    clusters.push(cluster)
    const apps = await Promise.all(Array.from({ length: 4 }, () => cluster.addInstance()))
    for (const app of apps) expect((await app.inject('/readyz')).statusCode).toBe(200)

    const db = apps[0]!.wechatAuth.db
    const ours = await sql<{
      name: string
    }>`select name from wxauth_migration order by name`.execute(db)
    expect(ours.rows.map((r) => r.name)).toEqual(['001-initial'])
    const theirs = await sql<{
      name: string
    }>`select name from app_migration order by name`.execute(db)
    expect(theirs.rows.map((r) => r.name)).toEqual(['001-orders'])
    // Each migration was applied by exactly one instance (ours and the app's take separate locks).
    const migrated = cluster.logs
      .filter((l) => l.msg === 'database migrated')
      .flatMap((l) => l.migrations as string[])
    expect(migrated.sort()).toEqual(['001-initial', '001-orders'])

    // And a login works on the result, from any instance to any other.
    const { browser } = await cluster.login({ start: apps[0], finish: apps[3] })
    expect((await browser.get(apps[1]!, '/api/me')).statusCode).toBe(200)
  })

  it('runs on PostgreSQL alone (one instance): sessions in SQL, caches in process, a warning', async () => {
    const databaseUrl = await services.createDatabase('postgres_only')
    const cluster = await startCluster(services, { databaseUrl, options: { redisUrl: undefined } })
    clusters.push(cluster)
    const [app] = cluster.apps
    expect(app!.wechatAuth.mode).toBe('postgres')
    expect(app!.wechatAuth.stores.redis).toBeNull()
    expect((await app!.inject('/readyz')).json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', redis: 'unused' },
    })
    expect(cluster.logs.some((l) => String(l.msg).startsWith('PostgreSQL without redisUrl'))).toBe(
      true,
    )
    const { browser } = await cluster.login({ persona: 'emoji' })
    const rows = await app!.wechatAuth.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(rows.n)).toBe(1)
    // Another process on the same database sees the session at once: no in-process session cache.
    const second = cluster.apps[1]!
    expect((await browser.get(second, '/api/me')).statusCode).toBe(200)
    expect((await browser.post(second, '/api/auth/logout')).statusCode).toBe(204)
    expect((await browser.get(app!, '/api/me')).statusCode).toBe(401)
  })

  it('refuses to boot when PostgreSQL does not answer, naming no password', async () => {
    const cluster = await startCluster(services, {
      instances: 0,
      databaseUrl: 'postgres://wxauth:hunter2-secret@127.0.0.1:1/none',
    })
    clusters.push(cluster)
    const failure = await cluster.addInstance().then(
      () => null,
      (error: unknown) => error as Error,
    )
    expect(failure).toBeInstanceOf(Error)
    expect(String(failure?.message)).not.toContain('hunter2-secret')
  })
})
