import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  REFRESH_MARGIN_MS,
  createMemoryTokenCache,
  type GlobalTokenEvent,
  type TokenCache,
} from '../src/index.js'
import { manualClock, sequence, startFakeWechat, type FakeWechat } from './helpers/fake-wechat.js'
import { APP_ID, SECRET, testClient } from './helpers/client.js'

const TOKEN_KEY = `wechat:token:${APP_ID}`
const TICKET_KEY = `wechat:ticket:${APP_ID}`

let fake: FakeWechat
beforeAll(async () => {
  fake = await startFakeWechat()
})
afterAll(() => fake.close())
afterEach(() => {
  fake.calls.length = 0
})

/** stable_token that issues GT1, GT2, … one per call, each valid `expiresIn` seconds. */
function issueTokens(expiresIn = 7200) {
  let n = 0
  return () => ({ body: { access_token: `GT${++n}`, expires_in: expiresIn } })
}

/** A TokenCache that also offers a lock, the way the Redis one will (a promise-chain mutex here). */
function lockingCache(inner: TokenCache, lockKeys: string[]): TokenCache {
  let tail: Promise<unknown> = Promise.resolve()
  return {
    get: (key) => inner.get(key),
    set: (key, entry) => inner.set(key, entry),
    deleteIfEquals: (key, value) => inner.deleteIfEquals(key, value),
    withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
      lockKeys.push(key)
      const run = tail.then(fn, fn)
      tail = run.catch(() => undefined)
      return run
    },
  }
}

describe('getStableAccessToken (stable mode)', () => {
  it('POSTs JSON to cgi-bin/stable_token in normal mode and caches under wechat:token:<appid>', async () => {
    const clock = manualClock()
    const cache = createMemoryTokenCache(clock.now)
    fake.on('cgi-bin/stable_token', issueTokens())
    const client = testClient(fake, { now: clock.now, tokenCache: cache })
    expect(await client.getStableAccessToken()).toBe('GT1')
    const [call] = fake.calls
    expect(call?.method).toBe('POST')
    expect(call?.headers['content-type']).toBe('application/json')
    expect(call?.search).toBe('')
    expect(JSON.parse(call?.body ?? '')).toEqual({
      grant_type: 'client_credential',
      appid: APP_ID,
      secret: SECRET,
      force_refresh: false,
    })
    expect(await cache.get(TOKEN_KEY)).toEqual({ value: 'GT1', expiresAt: clock.t + 7_200_000 })
  })

  it('computes the expiry from when the request started, not when it returned', async () => {
    const clock = manualClock()
    const cache = createMemoryTokenCache(clock.now)
    const startedAt = clock.t
    fake.on('cgi-bin/stable_token', () => {
      clock.t += 30_000 // WeChat took 30 s to answer
      return { body: { access_token: 'GT1', expires_in: 7200 } }
    })
    await testClient(fake, { now: clock.now, tokenCache: cache }).getStableAccessToken()
    expect((await cache.get(TOKEN_KEY))?.expiresAt).toBe(startedAt + 7_200_000)
  })

  it('joins 50 concurrent callers onto one upstream request', async () => {
    fake.on('cgi-bin/stable_token', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20))
      return { body: { access_token: 'GT-shared', expires_in: 7200 } }
    })
    const client = testClient(fake)
    const tokens = await Promise.all(
      Array.from({ length: 50 }, () => client.getStableAccessToken()),
    )
    expect(new Set(tokens)).toEqual(new Set(['GT-shared']))
    expect(fake.hits('cgi-bin/stable_token')).toBe(1)
  })

  it('serves the cached token until REFRESH_MARGIN_MS before expiry, then refreshes', async () => {
    const clock = manualClock()
    fake.on('cgi-bin/stable_token', issueTokens())
    const client = testClient(fake, { now: clock.now })
    const issuedAt = clock.t
    expect(await client.getStableAccessToken()).toBe('GT1')

    clock.t = issuedAt + 7_200_000 - REFRESH_MARGIN_MS - 1
    expect(await client.getStableAccessToken()).toBe('GT1')
    expect(fake.hits('cgi-bin/stable_token')).toBe(1)

    clock.t += 1 // now exactly 300 s before expiry: stale
    expect(await client.getStableAccessToken()).toBe('GT2')
    expect(fake.hits('cgi-bin/stable_token')).toBe(2)
    expect(REFRESH_MARGIN_MS).toBe(300_000)
  })

  it('retries stable_token on -1 (idempotent in normal mode), at most 3 attempts', async () => {
    fake.on('cgi-bin/stable_token', { body: { errcode: -1, errmsg: 'system error' } })
    await expect(testClient(fake).getStableAccessToken()).rejects.toMatchObject({ errcode: -1 })
    expect(fake.hits('cgi-bin/stable_token')).toBe(3)
  })

  it('never retries a config error (40125 invalid appsecret): one attempt, kind config', async () => {
    fake.on('cgi-bin/stable_token', { body: { errcode: 40125, errmsg: 'invalid appsecret' } })
    const client = testClient(fake)
    const results = await Promise.allSettled([
      client.getStableAccessToken(),
      client.getStableAccessToken(),
    ])
    for (const result of results) {
      expect(result).toMatchObject({
        status: 'rejected',
        reason: { errcode: 40125, kind: 'config', endpoint: 'cgi-bin/stable_token' },
      })
    }
    expect(fake.hits('cgi-bin/stable_token')).toBe(1)
  })

  it('does not keep a failed fetch: the next call tries again', async () => {
    fake.on(
      'cgi-bin/stable_token',
      sequence({ body: 'garbage' }, { body: { access_token: 'GT-ok', expires_in: 7200 } }),
    )
    const client = testClient(fake)
    await expect(client.getStableAccessToken()).rejects.toMatchObject({ reason: 'garbage' })
    expect(await client.getStableAccessToken()).toBe('GT-ok')
  })

  it('keeps serving a still-valid token in its last minutes while WeChat is busy', async () => {
    const clock = manualClock()
    const issuedAt = clock.t
    fake.on(
      'cgi-bin/stable_token',
      sequence(
        { body: { access_token: 'GT-old', expires_in: 7200 } },
        { body: { errcode: -1, errmsg: 'system error' } },
      ),
    )
    const client = testClient(fake, { now: clock.now, retries: 0 })
    expect(await client.getStableAccessToken()).toBe('GT-old')
    clock.t = issuedAt + 7_200_000 - 60_000 // inside the margin, still valid
    expect(await client.getStableAccessToken()).toBe('GT-old')
    clock.t = issuedAt + 7_200_000 // expired: nothing to fall back on
    await expect(client.getStableAccessToken()).rejects.toMatchObject({ errcode: -1 })
  })

  it('surfaces a config error even while an old token is still valid', async () => {
    const clock = manualClock()
    const issuedAt = clock.t
    fake.on(
      'cgi-bin/stable_token',
      sequence(
        { body: { access_token: 'GT-old', expires_in: 7200 } },
        { body: { errcode: 40164, errmsg: 'invalid ip 1.2.3.4, not in whitelist' } },
      ),
    )
    const client = testClient(fake, { now: clock.now })
    await client.getStableAccessToken()
    clock.t = issuedAt + 7_200_000 - 60_000
    await expect(client.getStableAccessToken()).rejects.toMatchObject({ kind: 'config' })
  })

  it('fetches inside withLock and re-reads the cache after taking it (N processes, one fetch)', async () => {
    fake.on('cgi-bin/stable_token', async () => {
      await new Promise((resolve) => setTimeout(resolve, 10))
      return { body: { access_token: 'GT-locked', expires_in: 7200 } }
    })
    const lockKeys: string[] = []
    // One cache and one lock, two clients with their own in-process single flight: two processes.
    const shared = lockingCache(createMemoryTokenCache(), lockKeys)
    const processA = testClient(fake, { tokenCache: shared })
    const processB = testClient(fake, { tokenCache: shared })
    const tokens = await Promise.all(
      [processA, processB, processA, processB].map((client) => client.getStableAccessToken()),
    )
    expect(new Set(tokens)).toEqual(new Set(['GT-locked']))
    // B missed the cache, waited for the lock, re-read the cache and found A's token.
    expect(fake.hits('cgi-bin/stable_token')).toBe(1)
    expect(lockKeys).toEqual([`${TOKEN_KEY}:lock`, `${TOKEN_KEY}:lock`])
  })
})

describe('invalidateAccessToken', () => {
  it('deletes the cached token only if it is still the one that failed', async () => {
    const cache = createMemoryTokenCache()
    fake.on('cgi-bin/stable_token', issueTokens())
    const client = testClient(fake, { tokenCache: cache })
    expect(await client.getStableAccessToken()).toBe('GT1')

    await client.invalidateAccessToken('GT-someone-elses')
    expect(await client.getStableAccessToken()).toBe('GT1')
    expect(fake.hits('cgi-bin/stable_token')).toBe(1)

    await client.invalidateAccessToken('GT1')
    expect(await cache.get(TOKEN_KEY)).toBeNull()
    expect(await client.getStableAccessToken()).toBe('GT2')
    expect(fake.hits('cgi-bin/stable_token')).toBe(2)
  })
})

describe('globalTokenMode: classic', () => {
  it('GETs cgi-bin/token with grant_type, appid, secret and caches it the same way', async () => {
    const clock = manualClock()
    const cache = createMemoryTokenCache(clock.now)
    fake.on('cgi-bin/token', issueTokens())
    const client = testClient(fake, {
      now: clock.now,
      tokenCache: cache,
      globalTokenMode: 'classic',
    })
    expect(await client.getStableAccessToken()).toBe('GT1')
    expect(await client.getStableAccessToken()).toBe('GT1')
    expect(fake.hits('cgi-bin/token')).toBe(1)
    expect(fake.hits('cgi-bin/stable_token')).toBe(0)
    const [call] = fake.calls
    expect(call?.method).toBe('GET')
    expect(call?.search).toBe(`?grant_type=client_credential&appid=${APP_ID}&secret=${SECRET}`)
    expect(await cache.get(TOKEN_KEY)).toEqual({ value: 'GT1', expiresAt: clock.t + 7_200_000 })
  })

  it('never retries a config error there either', async () => {
    fake.on('cgi-bin/token', { body: { errcode: 40013, errmsg: 'invalid appid' } })
    await expect(
      testClient(fake, { globalTokenMode: 'classic' }).getStableAccessToken(),
    ).rejects.toMatchObject({ kind: 'config', errcode: 40013 })
    expect(fake.hits('cgi-bin/token')).toBe(1)
  })
})

describe('getJsapiTicket', () => {
  const ticketBody = (ticket: string) => ({
    errcode: 0,
    errmsg: 'ok',
    ticket,
    expires_in: 7200,
  })

  it('fetches with the global token, caches under wechat:ticket:<appid>, joins concurrent callers', async () => {
    const clock = manualClock()
    const cache = createMemoryTokenCache(clock.now)
    fake.on('cgi-bin/stable_token', issueTokens())
    fake.on('cgi-bin/ticket/getticket', async () => {
      await new Promise((resolve) => setTimeout(resolve, 10))
      return { body: ticketBody('TICKET1') }
    })
    const client = testClient(fake, { now: clock.now, tokenCache: cache })
    const tickets = await Promise.all(Array.from({ length: 20 }, () => client.getJsapiTicket()))
    expect(new Set(tickets)).toEqual(new Set(['TICKET1']))
    expect(fake.hits('cgi-bin/ticket/getticket')).toBe(1)
    const call = fake.calls.find((c) => c.path === 'cgi-bin/ticket/getticket')
    expect(call?.search).toBe('?access_token=GT1&type=jsapi')
    expect(await cache.get(TICKET_KEY)).toEqual({
      value: 'TICKET1',
      expiresAt: clock.t + 7_200_000,
    })

    clock.t += 7_200_000 - REFRESH_MARGIN_MS // stale: fetch again
    fake.on('cgi-bin/ticket/getticket', { body: ticketBody('TICKET2') })
    expect(await client.getJsapiTicket()).toBe('TICKET2')
  })

  it('on 40001 invalidates the token, fetches one new token and retries once', async () => {
    fake.on('cgi-bin/stable_token', issueTokens())
    fake.on('cgi-bin/ticket/getticket', (call) =>
      call.query.get('access_token') === 'GT1'
        ? {
            body: {
              errcode: 40001,
              errmsg: 'invalid credential, access_token is invalid or not latest',
            },
          }
        : { body: ticketBody('TICKET-after-refetch') },
    )
    const client = testClient(fake)
    expect(await client.getJsapiTicket()).toBe('TICKET-after-refetch')
    expect(fake.hits('cgi-bin/stable_token')).toBe(2)
    expect(fake.hits('cgi-bin/ticket/getticket')).toBe(2)
  })

  it('gives up after one retry when the fresh token fails too (no loop)', async () => {
    fake.on('cgi-bin/stable_token', issueTokens())
    fake.on('cgi-bin/ticket/getticket', {
      body: { errcode: 42001, errmsg: 'access_token expired' },
    })
    await expect(testClient(fake).getJsapiTicket()).rejects.toMatchObject({
      errcode: 42001,
      kind: 'token-expired',
    })
    expect(fake.hits('cgi-bin/stable_token')).toBe(2)
    expect(fake.hits('cgi-bin/ticket/getticket')).toBe(2)
  })
})

describe('onGlobalToken events', () => {
  it('reports one fetch per upstream fetch (not per cache hit), with the mode and the outcome', async () => {
    const events: GlobalTokenEvent[] = []
    fake.on(
      'cgi-bin/stable_token',
      sequence(
        { body: { errcode: 40125, errmsg: 'invalid appsecret' } },
        { body: { access_token: 'GT-ok', expires_in: 7200 } },
      ),
    )
    const client = testClient(fake, { onGlobalToken: (event) => events.push(event) })
    await expect(client.getStableAccessToken()).rejects.toMatchObject({ errcode: 40125 })
    expect(await client.getStableAccessToken()).toBe('GT-ok')
    expect(await client.getStableAccessToken()).toBe('GT-ok')
    expect(events).toEqual([
      { type: 'fetch', mode: 'stable', ok: false, kind: 'config' },
      { type: 'fetch', mode: 'stable', ok: true },
    ])
  })

  it('counts a fetch and its retries as one fetch (classic mode)', async () => {
    const events: GlobalTokenEvent[] = []
    fake.on(
      'cgi-bin/token',
      sequence(
        { body: { errcode: -1, errmsg: 'system error' } },
        { body: { access_token: 'GT-ok', expires_in: 7200 } },
      ),
    )
    const client = testClient(fake, {
      globalTokenMode: 'classic',
      onGlobalToken: (event) => events.push(event),
    })
    expect(await client.getStableAccessToken()).toBe('GT-ok')
    expect(fake.hits('cgi-bin/token')).toBe(2)
    expect(events).toEqual([{ type: 'fetch', mode: 'classic', ok: true }])
  })

  it('reports each invalidation, and whether it dropped the cached token', async () => {
    const events: GlobalTokenEvent[] = []
    fake.on('cgi-bin/stable_token', issueTokens())
    const client = testClient(fake, { onGlobalToken: (event) => events.push(event) })
    await client.getStableAccessToken()
    await client.invalidateAccessToken('GT-someone-elses')
    await client.invalidateAccessToken('GT1')
    expect(events.filter((e) => e.type === 'invalidate')).toEqual([
      { type: 'invalidate', deleted: false },
      { type: 'invalidate', deleted: true },
    ])
  })

  it('survives a listener that throws', async () => {
    fake.on('cgi-bin/stable_token', issueTokens())
    const client = testClient(fake, {
      onGlobalToken: () => {
        throw new Error('counter broke')
      },
    })
    expect(await client.getStableAccessToken()).toBe('GT1')
  })
})
