/**
 * Distributed mode, sessions: two instances on one Redis and one PostgreSQL. A session made on A is
 * valid on B, a logout on B ends it on A at once, the session key expires with the session, users
 * live in PostgreSQL, and Redis holds no raw session id and no usable WeChat token.
 */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src/util/ids.js'
import { leakLedger } from '../helper.js'
import {
  codeHeaders,
  requireServices,
  startCluster,
  startServices,
  type Cluster,
  type Services,
} from './cluster.js'

const enabled = requireServices(['redis', 'postgres'])

describe.skipIf(!enabled)('distributed sessions (Redis + PostgreSQL, 2 instances)', () => {
  let services: Services
  let cluster: Cluster
  let a: FastifyInstance
  let b: FastifyInstance

  beforeAll(async () => {
    services = await startServices()
    cluster = await startCluster(services, { options: { sessionTtl: '2h' } })
    ;[a, b] = cluster.apps as [FastifyInstance, FastifyInstance]
  })
  afterAll(async () => {
    await cluster?.close()
    await services?.stop()
  })

  /** The signed cookie's raw session id. */
  function sessionIdOf(cookie: string): string {
    return decodeURIComponent(cookie).split('.')[0]!
  }

  it('runs both instances in distributed mode, ready on both stores', async () => {
    for (const app of [a, b]) {
      expect(app.wechatAuth.mode).toBe('distributed')
      const ready = await app.inject('/readyz')
      expect(ready.statusCode).toBe(200)
      expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } })
    }
  })

  it('a session made on A is valid on B; a logout on B ends it on A at once', async () => {
    const { browser, me } = await cluster.login({ start: a, finish: a })
    expect(me.user?.nickname).toBe('陈小雨 Alice')
    const onB = await browser.get(b, '/api/me')
    expect(onB.statusCode).toBe(200)
    expect(onB.json()).toEqual(me)

    const cookie = browser.cookieHeader()
    const logout = await browser.post(b, '/api/auth/logout')
    expect(logout.statusCode).toBe(204)
    const onA = await a.inject({ url: '/api/me', headers: { cookie } })
    expect(onA.statusCode).toBe(401)
    expect(onA.json()).toMatchObject({ code: 'AUTH_REQUIRED' })
  })

  it('keeps one key per session that Redis expires with the session, holding no raw id or token', async () => {
    const { browser } = await cluster.login({ persona: 'emoji', start: b, finish: a })
    const id = sessionIdOf(browser.cookies.get('wxauth_sid')!)
    const redis = a.wechatAuth.stores.redis!.client
    const key = `${cluster.prefix}sess:${sha256Hex(id)}`
    const ttl = await redis.pttl(key)
    expect(ttl).toBeGreaterThan(2 * 3600_000 - 60_000)
    expect(ttl).toBeLessThanOrEqual(2 * 3600_000)

    // Everything this cluster keeps in Redis: no session id, no secret, no WeChat token in clear.
    const keys = await redis.keys(`${cluster.prefix}*`)
    expect(keys).toContain(key)
    let dump = keys.join('\n')
    for (const k of keys) {
      const type = await redis.type(k)
      if (type === 'hash') dump += JSON.stringify(await redis.hgetall(k))
      else if (type === 'string') dump += (await redis.get(k)) ?? ''
    }
    expect(dump).not.toContain(id)
    for (const token of leakLedger().tokens) expect(dump).not.toContain(token)
  })

  it('keeps users in PostgreSQL; a profile written on B is what A shows next', async () => {
    const { browser, me } = await cluster.login({ persona: 'nounion', start: a, finish: b })
    const row = await a.wechatAuth.db
      .selectFrom('users')
      .select(['id', 'nickname'])
      .where('openid', '=', me.user!.openid)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ id: me.user!.id, nickname: '韩梅梅' })
    expect((await browser.get(a, '/api/me')).json<typeof me>().user?.nickname).toBe('韩梅梅')

    // B writes the profile (as a refresh does): A, which has just shown the old one, shows the new.
    const user = me.user!
    await b.wechatAuth.stores.repositories.users.upsertProfile(
      cluster.settings.appId,
      {
        openid: user.openid,
        nickname: 'renamed on B',
        headimgurl: user.headimgurl,
        sex: user.sex,
        province: user.province,
        city: user.city,
        country: user.country,
        privilege: user.privilege,
      },
      Date.now(),
    )
    expect((await browser.get(a, '/api/me')).json<typeof me>().user?.nickname).toBe('renamed on B')
    const refreshed = await browser.post(b, '/api/me/refresh')
    expect(refreshed.statusCode, refreshed.body).toBe(200)
    expect((await browser.get(a, '/api/me')).json<typeof me>().user?.nickname).toBe('韩梅梅')
  })

  it("writes the app's own row on one instance and sees it from the other", async () => {
    const { browser } = await cluster.login({ persona: 'noavatar', start: b, finish: b })
    const placed = await browser.post(a, '/api/orders')
    expect(placed.statusCode, placed.body).toBe(201)
    const orders = await browser.get(b, '/api/orders')
    expect(orders.json().orders).toEqual([{ id: placed.json().id, item: 'tea' }])
  })

  it('carries a snapshot guest session (no user, nothing in PostgreSQL) across instances', async () => {
    const before = await a.wechatAuth.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    const { browser, me } = await cluster.login({ persona: 'snapshot', scope: 'snsapi_base' })
    expect(me).toMatchObject({ user: null, session: { snapshot: true } })
    const onB = await browser.get(b, '/api/me')
    expect(onB.json()).toEqual(me)
    expect((await browser.post(b, '/api/orders')).statusCode).toBe(403)
    const after = await a.wechatAuth.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('upgrades a base session to userinfo under a new id, seen by both instances', async () => {
    const base = await cluster.login({ persona: 'alice', scope: 'snsapi_base', start: a })
    const sid = base.browser.cookies.get('wxauth_sid')
    const { url } = await cluster.startLogin(b, base.browser, 'snsapi_userinfo')
    const { code, state } = await cluster.authorize(url, 'alice')
    const upgraded = await base.browser.get(b, '/api/me', codeHeaders(code, state))
    expect(upgraded.statusCode, upgraded.body).toBe(200)
    expect(upgraded.json()).toMatchObject({ session: { scope: 'snsapi_userinfo' } })
    expect(base.browser.cookies.get('wxauth_sid')).not.toBe(sid)
    const stale = await a.inject({ url: '/api/me', headers: { cookie: `wxauth_sid=${sid}` } })
    expect(stale.statusCode).toBe(401)
    expect((await base.browser.get(a, '/api/me')).json()).toMatchObject({
      session: { scope: 'snsapi_userinfo' },
      user: { nickname: '陈小雨 Alice' },
    })
  })
})
