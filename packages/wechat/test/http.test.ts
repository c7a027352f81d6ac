import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WechatApiError, WechatUnavailableError, type WechatCallEvent } from '../src/index.js'
import { sequence, startFakeWechat, type FakeWechat } from './helpers/fake-wechat.js'
import { testClient, userInfoBody, webTokenBody } from './helpers/client.js'

const TOKEN = '83_WEBACCESSTOKENabcdefghijklmnopqrstuvwxyz0123456789'
const OPENID = 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M'

let fake: FakeWechat
beforeAll(async () => {
  fake = await startFakeWechat()
})
afterAll(() => fake.close())
afterEach(() => {
  fake.calls.length = 0
})

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject')
}

describe('reading bodies', () => {
  it('parses JSON sent as text/plain (what sns/* sends)', async () => {
    fake.on('sns/userinfo', { headers: { 'content-type': 'text/plain' }, body: userInfoBody() })
    const info = await testClient(fake).getUserInfo(TOKEN, OPENID)
    expect(info.nickname).toBe('测试用户')
  })

  it('parses JSON sent as `application/json; encoding=utf-8` (what cgi-bin/* sends)', async () => {
    fake.on('sns/userinfo', {
      headers: { 'content-type': 'application/json; encoding=utf-8' },
      body: userInfoBody({ nickname: '😀 emoji' }),
    })
    const info = await testClient(fake).getUserInfo(TOKEN, OPENID)
    expect(info.nickname).toBe('😀 emoji')
  })

  it('parses JSON sent with no Content-Type at all', async () => {
    fake.on('sns/userinfo', { headers: { 'content-type': '' }, body: userInfoBody() })
    await expect(testClient(fake).getUserInfo(TOKEN, OPENID)).resolves.toMatchObject({
      openid: OPENID,
    })
  })

  it('turns malformed JSON into WechatUnavailableError(garbage), not a crash', async () => {
    fake.on('sns/oauth2/access_token', { body: '{"access_token": "x", ' })
    const error = await rejection(testClient(fake).exchangeCode('CODE'))
    expect(error).toBeInstanceOf(WechatUnavailableError)
    expect(error).toMatchObject({
      reason: 'garbage',
      kind: 'busy',
      endpoint: 'sns/oauth2/access_token',
    })
  })

  it('turns an HTML error page into garbage', async () => {
    fake.on('sns/oauth2/access_token', {
      headers: { 'content-type': 'text/html' },
      body: '<html><body>502 Bad Gateway</body></html>',
    })
    await expect(testClient(fake).exchangeCode('CODE')).rejects.toMatchObject({
      reason: 'garbage',
    })
  })

  it.each([
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['a JSON string', '"ok"'],
    ['an empty body', ''],
  ])('turns %s into garbage', async (_label, body) => {
    fake.on('sns/oauth2/access_token', { body })
    await expect(testClient(fake).exchangeCode('CODE')).rejects.toMatchObject({
      reason: 'garbage',
    })
  })

  it('turns schema-invalid JSON into garbage', async () => {
    fake.on('sns/oauth2/access_token', { body: webTokenBody({ expires_in: 'soon' }) })
    const error = await rejection(testClient(fake).exchangeCode('CODE'))
    expect(error).toBeInstanceOf(WechatUnavailableError)
    expect(error).toMatchObject({ reason: 'garbage' })
    expect((error as Error).message).toContain('/expires_in')
  })

  it('turns a body missing a required field into garbage', async () => {
    const { openid: _dropped, ...withoutOpenid } = webTokenBody()
    fake.on('sns/oauth2/access_token', { body: withoutOpenid })
    await expect(testClient(fake).exchangeCode('CODE')).rejects.toMatchObject({
      reason: 'garbage',
    })
  })

  it('treats a non-integer errcode as garbage', async () => {
    fake.on('sns/oauth2/access_token', { body: { errcode: '40029', errmsg: 'invalid code' } })
    await expect(testClient(fake).exchangeCode('CODE')).rejects.toMatchObject({
      reason: 'garbage',
    })
  })

  it('turns a non-zero errcode with HTTP 200 into WechatApiError', async () => {
    fake.on('sns/oauth2/access_token', {
      body: { errcode: 40029, errmsg: 'invalid code, rid: 65a33cd8-023106e1-2dc7e2f6' },
    })
    const error = await rejection(testClient(fake).exchangeCode('CODE'))
    expect(error).toBeInstanceOf(WechatApiError)
    expect(error).toMatchObject({
      errcode: 40029,
      errmsg: 'invalid code, rid: 65a33cd8-023106e1-2dc7e2f6',
      endpoint: 'sns/oauth2/access_token',
      kind: 'code-invalid',
      name: 'WechatApiError',
    })
  })

  it('turns HTTP 500 into WechatUnavailableError(http-status) with the status', async () => {
    fake.on('sns/oauth2/access_token', { status: 500, body: { errcode: 0 } })
    const error = await rejection(testClient(fake).exchangeCode('CODE'))
    expect(error).toBeInstanceOf(WechatUnavailableError)
    expect(error).toMatchObject({ reason: 'http-status', status: 500, kind: 'busy' })
  })

  it('does not follow a redirect (it would carry the secret elsewhere): http-status', async () => {
    fake.on('sns/oauth2/access_token', {
      status: 302,
      headers: { location: `${fake.url}/elsewhere` },
      body: '',
    })
    fake.on('elsewhere', { body: webTokenBody() })
    await expect(testClient(fake).exchangeCode('CODE')).rejects.toMatchObject({
      reason: 'http-status',
      status: 302,
    })
    expect(fake.hits('elsewhere')).toBe(0)
  })

  it('turns HTTP 404 into http-status too, and does not retry it', async () => {
    fake.on('sns/userinfo', { status: 404, body: 'not found' })
    await expect(testClient(fake).getUserInfo(TOKEN, OPENID)).rejects.toMatchObject({
      reason: 'http-status',
      status: 404,
    })
    expect(fake.hits('sns/userinfo')).toBe(1)
  })
})

describe('timeouts and network errors', () => {
  it('gives up after timeoutMs with reason timeout', async () => {
    fake.on('sns/oauth2/access_token', 'hang')
    const started = performance.now()
    const error = await rejection(testClient(fake, { timeoutMs: 50 }).exchangeCode('CODE'))
    expect(error).toBeInstanceOf(WechatUnavailableError)
    expect(error).toMatchObject({ reason: 'timeout', kind: 'busy' })
    expect(performance.now() - started).toBeLessThan(1_500)
  })

  it('times out a body that starts but never finishes', async () => {
    // Headers arrive, the body never ends: the timeout must cover reading the body too.
    fake.on('sns/userinfo', 'stall-body')
    const error = await rejection(
      testClient(fake, { timeoutMs: 50, retries: 0 }).getUserInfo(TOKEN, OPENID),
    )
    expect(error).toMatchObject({ reason: 'timeout' })
    expect(fake.hits('sns/userinfo')).toBe(1)
  })

  it('reports a refused connection as reason network', async () => {
    const gone = await startFakeWechat()
    const client = testClient(gone, { retries: 0 })
    await gone.close()
    const error = await rejection(client.getUserInfo(TOKEN, OPENID))
    expect(error).toBeInstanceOf(WechatUnavailableError)
    expect(error).toMatchObject({ reason: 'network', kind: 'busy' })
    expect((error as Error).message).toContain('ECONNREFUSED')
  })
})

describe('retries', () => {
  it('retries an idempotent read on -1 and succeeds on the third attempt', async () => {
    fake.on(
      'sns/userinfo',
      sequence(
        { body: { errcode: -1, errmsg: 'system error' } },
        { body: { errcode: -1000, errmsg: 'system error' } },
        { body: userInfoBody() },
      ),
    )
    await expect(testClient(fake).getUserInfo(TOKEN, OPENID)).resolves.toMatchObject({
      openid: OPENID,
    })
    expect(fake.hits('sns/userinfo')).toBe(3)
  })

  it('makes at most 3 attempts for an idempotent read on -1', async () => {
    fake.on('sns/userinfo', { body: { errcode: -1, errmsg: 'system error' } })
    await expect(testClient(fake).getUserInfo(TOKEN, OPENID)).rejects.toMatchObject({
      errcode: -1,
      kind: 'busy',
    })
    expect(fake.hits('sns/userinfo')).toBe(3)
  })

  it('makes at most 3 attempts for an idempotent read on timeouts', async () => {
    fake.on('sns/userinfo', 'hang')
    await expect(
      testClient(fake, { timeoutMs: 30 }).getUserInfo(TOKEN, OPENID),
    ).rejects.toMatchObject({ reason: 'timeout' })
    expect(fake.hits('sns/userinfo')).toBe(3)
  })

  it('retries HTTP 5xx on an idempotent read', async () => {
    fake.on(
      'sns/userinfo',
      sequence({ status: 502, body: 'bad gateway' }, { body: userInfoBody() }),
    )
    await expect(testClient(fake).getUserInfo(TOKEN, OPENID)).resolves.toMatchObject({
      openid: OPENID,
    })
    expect(fake.hits('sns/userinfo')).toBe(2)
  })

  it('honours retries: 0 (one attempt)', async () => {
    fake.on('sns/userinfo', { body: { errcode: -1, errmsg: 'system error' } })
    await expect(
      testClient(fake, { retries: 0 }).getUserInfo(TOKEN, OPENID),
    ).rejects.toBeInstanceOf(WechatApiError)
    expect(fake.hits('sns/userinfo')).toBe(1)
  })

  it('never retries exchangeCode on -1 (exactly 1 attempt)', async () => {
    fake.on('sns/oauth2/access_token', { body: { errcode: -1, errmsg: 'system error' } })
    await expect(testClient(fake).exchangeCode('CODE')).rejects.toMatchObject({ errcode: -1 })
    expect(fake.hits('sns/oauth2/access_token')).toBe(1)
  })

  it('never retries exchangeCode on a timeout (exactly 1 attempt)', async () => {
    fake.on('sns/oauth2/access_token', 'hang')
    await expect(testClient(fake, { timeoutMs: 30 }).exchangeCode('CODE')).rejects.toMatchObject({
      reason: 'timeout',
    })
    expect(fake.hits('sns/oauth2/access_token')).toBe(1)
  })

  it('never retries exchangeCode on HTTP 503', async () => {
    fake.on('sns/oauth2/access_token', { status: 503, body: '' })
    await expect(testClient(fake).exchangeCode('CODE')).rejects.toMatchObject({ status: 503 })
    expect(fake.hits('sns/oauth2/access_token')).toBe(1)
  })

  it.each([40013, 40125, 40164, 41004])(
    'never retries config error %i on an idempotent read (1 attempt)',
    async (errcode) => {
      fake.on('sns/userinfo', { body: { errcode, errmsg: 'config' } })
      await expect(testClient(fake).getUserInfo(TOKEN, OPENID)).rejects.toMatchObject({
        errcode,
        kind: 'config',
      })
      expect(fake.hits('sns/userinfo')).toBe(1)
    },
  )

  it('does not retry garbage, scope or rate-limit answers', async () => {
    fake.on('sns/userinfo', { body: 'not json' })
    await expect(testClient(fake).getUserInfo(TOKEN, OPENID)).rejects.toMatchObject({
      reason: 'garbage',
    })
    fake.on('sns/userinfo', { body: { errcode: 48001, errmsg: 'api unauthorized' } })
    await expect(testClient(fake).getUserInfo(TOKEN, OPENID)).rejects.toMatchObject({
      kind: 'scope',
    })
    fake.on('sns/userinfo', { body: { errcode: 45011, errmsg: 'api minute-quota reach limit' } })
    await expect(testClient(fake).getUserInfo(TOKEN, OPENID)).rejects.toMatchObject({
      kind: 'rate-limit',
    })
    expect(fake.hits('sns/userinfo')).toBe(3)
  })

  it('backs off exponentially between attempts, scaled by retryBaseDelayMs', async () => {
    fake.on('sns/userinfo', { body: { errcode: -1, errmsg: 'system error' } })
    const started = performance.now()
    await expect(
      testClient(fake, { retryBaseDelayMs: 40 }).getUserInfo(TOKEN, OPENID),
    ).rejects.toMatchObject({ errcode: -1 })
    // Waits 40·1 + jitter, then 40·2 + jitter: at least 120 ms, at most 120 + 2·40 + slack.
    const elapsed = performance.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(115)
    expect(elapsed).toBeLessThan(1_000)
  })
})

describe('onCall events', () => {
  it('emits one event per attempt with endpoint, attempt, ok, errcode and reason', async () => {
    const events: WechatCallEvent[] = []
    fake.on(
      'sns/userinfo',
      sequence(
        { body: { errcode: -1, errmsg: 'system error' } },
        { status: 500, body: '' },
        { body: userInfoBody() },
      ),
    )
    await testClient(fake, { onCall: (event) => events.push(event) }).getUserInfo(TOKEN, OPENID)
    expect(events.map(({ durationMs: _d, ...rest }) => rest)).toEqual([
      { endpoint: 'sns/userinfo', attempt: 1, ok: false, errcode: -1 },
      { endpoint: 'sns/userinfo', attempt: 2, ok: false, reason: 'http-status', status: 500 },
      { endpoint: 'sns/userinfo', attempt: 3, ok: true },
    ])
    for (const event of events) expect(event.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('survives an onCall listener that throws', async () => {
    fake.on('sns/userinfo', { body: userInfoBody() })
    const client = testClient(fake, {
      onCall: () => {
        throw new Error('logger broke')
      },
    })
    await expect(client.getUserInfo(TOKEN, OPENID)).resolves.toMatchObject({ openid: OPENID })
  })
})
