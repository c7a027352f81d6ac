import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryTokenCache, createWechatClient, WechatApiError } from '../src/index.js'
import { manualClock, sequence, startFakeWechat, type FakeWechat } from './helpers/fake-wechat.js'
import { APP_ID, SECRET, testClient, userInfoBody, webTokenBody } from './helpers/client.js'

const WEB_TOKEN = '83_WEBACCESSTOKENabcdefghijklmnopqrstuvwxyz0123456789'
const OPENID = 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M'

let fake: FakeWechat
beforeAll(async () => {
  fake = await startFakeWechat()
})
afterAll(() => fake.close())
afterEach(() => {
  fake.calls.length = 0
})

describe('exchangeCode', () => {
  it('GETs sns/oauth2/access_token with appid, secret, code, grant_type in that order', async () => {
    fake.on('sns/oauth2/access_token', { body: webTokenBody() })
    await testClient(fake).exchangeCode('071CyW000UGidO1SxY000uNATs1CyW04')
    const [call] = fake.calls
    expect(call?.method).toBe('GET')
    expect(call?.search).toBe(
      `?appid=${APP_ID}&secret=${SECRET}&code=071CyW000UGidO1SxY000uNATs1CyW04` +
        '&grant_type=authorization_code',
    )
  })

  it('returns the token with an absolute expiry counted from the request start', async () => {
    const clock = manualClock()
    const startedAt = clock.t
    fake.on('sns/oauth2/access_token', () => {
      clock.t += 4_000 // WeChat answered 4 s later
      return { body: webTokenBody({ unionid: 'oLDegwLanAyzhdUfaBqh6Dt4MqtY', extra: 'dropped' }) }
    })
    const token = await testClient(fake, { now: clock.now }).exchangeCode('CODE')
    expect(token).toEqual({
      ...webTokenBody({ unionid: 'oLDegwLanAyzhdUfaBqh6Dt4MqtY' }),
      accessExpiresAt: startedAt + 7_200_000,
      snapshot: false,
    })
  })

  it('flags a snapshot-page visitor (is_snapshotuser: 1)', async () => {
    fake.on('sns/oauth2/access_token', {
      body: webTokenBody({ is_snapshotuser: 1, scope: 'snsapi_base' }),
    })
    const token = await testClient(fake).exchangeCode('CODE')
    expect(token.snapshot).toBe(true)
    expect(token.is_snapshotuser).toBe(1)
  })

  it('passes 40163 through as code-used after exactly one attempt', async () => {
    fake.on('sns/oauth2/access_token', { body: { errcode: 40163, errmsg: 'code been used' } })
    await expect(testClient(fake).exchangeCode('CODE')).rejects.toMatchObject({
      errcode: 40163,
      kind: 'code-used',
    })
    expect(fake.hits('sns/oauth2/access_token')).toBe(1)
  })
})

describe('refreshWebToken', () => {
  it('GETs sns/oauth2/refresh_token with appid, grant_type, refresh_token and no secret', async () => {
    const clock = manualClock()
    fake.on('sns/oauth2/refresh_token', {
      body: webTokenBody({ scope: 'snsapi_base,snsapi_userinfo,' }),
    })
    const token = await testClient(fake, { now: clock.now }).refreshWebToken('83_REFRESH')
    const [call] = fake.calls
    expect(call?.search).toBe(`?appid=${APP_ID}&grant_type=refresh_token&refresh_token=83_REFRESH`)
    expect(call?.search).not.toContain(SECRET)
    expect(token).toMatchObject({
      scope: 'snsapi_base,snsapi_userinfo,',
      accessExpiresAt: clock.t + 7_200_000,
      snapshot: false,
    })
  })

  it('passes 42002 through as refresh-expired', async () => {
    fake.on('sns/oauth2/refresh_token', {
      body: { errcode: 42002, errmsg: 'refresh_token expired' },
    })
    await expect(testClient(fake).refreshWebToken('83_REFRESH')).rejects.toMatchObject({
      kind: 'refresh-expired',
    })
    expect(fake.hits('sns/oauth2/refresh_token')).toBe(1)
  })

  it('retries on -1 (the refresh_token is not rotated, so repeating is safe)', async () => {
    fake.on(
      'sns/oauth2/refresh_token',
      sequence({ body: { errcode: -1, errmsg: 'system error' } }, { body: webTokenBody() }),
    )
    await expect(testClient(fake).refreshWebToken('83_REFRESH')).resolves.toMatchObject({
      openid: OPENID,
    })
    expect(fake.hits('sns/oauth2/refresh_token')).toBe(2)
  })
})

describe('getUserInfo', () => {
  it('GETs sns/userinfo with access_token, openid and lang (zh_CN by default)', async () => {
    fake.on('sns/userinfo', { body: userInfoBody() })
    const info = await testClient(fake).getUserInfo(WEB_TOKEN, OPENID)
    expect(fake.calls[0]?.search).toBe(`?access_token=${WEB_TOKEN}&openid=${OPENID}&lang=zh_CN`)
    expect(info).toEqual(userInfoBody())
  })

  it('sends the requested lang', async () => {
    fake.on('sns/userinfo', { body: userInfoBody() })
    await testClient(fake).getUserInfo(WEB_TOKEN, OPENID, 'en')
    expect(fake.calls[0]?.query.get('lang')).toBe('en')
  })

  it('accepts a user with no avatar and no unionid', async () => {
    const { unionid: _u, ...noUnion } = userInfoBody({ headimgurl: '' })
    fake.on('sns/userinfo', { body: noUnion })
    const info = await testClient(fake).getUserInfo(WEB_TOKEN, OPENID)
    expect(info.headimgurl).toBe('')
    expect(info.unionid).toBeUndefined()
  })

  it('passes 48001 (snsapi_base token) through as scope', async () => {
    fake.on('sns/userinfo', { body: { errcode: 48001, errmsg: 'api unauthorized' } })
    await expect(testClient(fake).getUserInfo(WEB_TOKEN, OPENID)).rejects.toMatchObject({
      kind: 'scope',
      errcode: 48001,
    })
  })
})

describe('checkWebToken', () => {
  it("answers 'valid' on errcode 0", async () => {
    fake.on('sns/auth', { body: { errcode: 0, errmsg: 'ok' } })
    expect(await testClient(fake).checkWebToken(WEB_TOKEN, OPENID)).toBe('valid')
    expect(fake.calls[0]?.search).toBe(`?access_token=${WEB_TOKEN}&openid=${OPENID}`)
  })

  it.each([40001, 40003, 42001, 40014])("answers 'invalid' on %i", async (errcode) => {
    fake.on('sns/auth', { body: { errcode, errmsg: 'invalid' } })
    expect(await testClient(fake).checkWebToken(WEB_TOKEN, OPENID)).toBe('invalid')
    expect(fake.hits('sns/auth')).toBe(1)
  })

  it("answers 'unknown' when WeChat stays busy (-1), after the retries", async () => {
    fake.on('sns/auth', { body: { errcode: -1, errmsg: 'system error' } })
    expect(await testClient(fake).checkWebToken(WEB_TOKEN, OPENID)).toBe('unknown')
    expect(fake.hits('sns/auth')).toBe(3)
  })

  it("answers 'unknown' on a timeout, HTTP 500, garbage or a rate limit, never 'invalid'", async () => {
    const client = testClient(fake, { timeoutMs: 30, retries: 0 })
    fake.on('sns/auth', 'hang')
    expect(await client.checkWebToken(WEB_TOKEN, OPENID)).toBe('unknown')
    fake.on('sns/auth', { status: 500, body: '' })
    expect(await client.checkWebToken(WEB_TOKEN, OPENID)).toBe('unknown')
    fake.on('sns/auth', { body: '<html>' })
    expect(await client.checkWebToken(WEB_TOKEN, OPENID)).toBe('unknown')
    fake.on('sns/auth', { body: {} })
    expect(await client.checkWebToken(WEB_TOKEN, OPENID)).toBe('unknown')
    fake.on('sns/auth', { body: { errcode: 45011, errmsg: 'api minute-quota reach limit' } })
    expect(await client.checkWebToken(WEB_TOKEN, OPENID)).toBe('unknown')
  })

  it('recovers when a retry succeeds', async () => {
    fake.on('sns/auth', sequence({ body: { errcode: -1 } }, { body: { errcode: 0, errmsg: 'ok' } }))
    expect(await testClient(fake).checkWebToken(WEB_TOKEN, OPENID)).toBe('valid')
  })

  it('throws other errcodes (a bug or config problem, not a token verdict)', async () => {
    fake.on('sns/auth', { body: { errcode: 41009, errmsg: 'missing openid' } })
    await expect(testClient(fake).checkWebToken(WEB_TOKEN, '')).rejects.toBeInstanceOf(
      WechatApiError,
    )
  })
})

describe('getFollowerInfo', () => {
  const follower = {
    subscribe: 1,
    openid: OPENID,
    nickname: '',
    sex: 0,
    language: 'zh_CN',
    city: '',
    province: '',
    country: '',
    headimgurl: '',
    subscribe_time: 1677650915,
    remark: '',
    groupid: 0,
    tagid_list: [],
    subscribe_scene: 'ADD_SCENE_SEARCH',
    qr_scene: 0,
    qr_scene_str: '',
  }

  it('GETs cgi-bin/user/info with the global token, openid and lang', async () => {
    fake.on('cgi-bin/stable_token', { body: { access_token: 'GT1', expires_in: 7200 } })
    fake.on('cgi-bin/user/info', { body: follower })
    const info = await testClient(fake).getFollowerInfo(OPENID)
    expect(info).toMatchObject({
      subscribe: 1,
      openid: OPENID,
      subscribe_scene: 'ADD_SCENE_SEARCH',
    })
    const call = fake.calls.find((c) => c.path === 'cgi-bin/user/info')
    expect(call?.search).toBe(`?access_token=GT1&openid=${OPENID}&lang=zh_CN`)
  })

  it('accepts a non-follower (subscribe: 0, almost nothing else)', async () => {
    fake.on('cgi-bin/stable_token', { body: { access_token: 'GT1', expires_in: 7200 } })
    fake.on('cgi-bin/user/info', { body: { subscribe: 0, openid: OPENID, tagid_list: [] } })
    await expect(testClient(fake).getFollowerInfo(OPENID)).resolves.toMatchObject({ subscribe: 0 })
  })

  it('on 40001 invalidates the token, fetches once and retries once', async () => {
    let issued = 0
    fake.on('cgi-bin/stable_token', () => ({
      body: { access_token: `GT${++issued}`, expires_in: 7200 },
    }))
    fake.on('cgi-bin/user/info', (call) =>
      call.query.get('access_token') === 'GT1'
        ? {
            body: {
              errcode: 40001,
              errmsg: 'invalid credential, access_token is invalid or not latest',
            },
          }
        : { body: follower },
    )
    const cache = createMemoryTokenCache()
    const info = await testClient(fake, { tokenCache: cache }).getFollowerInfo(OPENID)
    expect(info.subscribe).toBe(1)
    expect(fake.hits('cgi-bin/stable_token')).toBe(2)
    expect(fake.hits('cgi-bin/user/info')).toBe(2)
    expect((await cache.get(`wechat:token:${APP_ID}`))?.value).toBe('GT2')
  })

  it('surfaces the second 40001 instead of looping', async () => {
    let issued = 0
    fake.on('cgi-bin/stable_token', () => ({
      body: { access_token: `GT${++issued}`, expires_in: 7200 },
    }))
    fake.on('cgi-bin/user/info', { body: { errcode: 40001, errmsg: 'invalid credential' } })
    await expect(testClient(fake).getFollowerInfo(OPENID)).rejects.toMatchObject({
      errcode: 40001,
      kind: 'token-expired',
    })
    expect(fake.hits('cgi-bin/stable_token')).toBe(2)
    expect(fake.hits('cgi-bin/user/info')).toBe(2)
  })

  it('keeps a token another process already replaced (invalidate only if unchanged)', async () => {
    const cache = createMemoryTokenCache()
    fake.on('cgi-bin/stable_token', { body: { access_token: 'GT-mine', expires_in: 7200 } })
    fake.on('cgi-bin/user/info', async (call) => {
      if (call.query.get('access_token') === 'GT-mine') {
        // Meanwhile another instance fetched a newer token into the shared cache.
        await cache.set(`wechat:token:${APP_ID}`, {
          value: 'GT-theirs',
          expiresAt: Date.now() + 7_200_000,
        })
        return { body: { errcode: 42001, errmsg: 'access_token expired' } }
      }
      return { body: follower }
    })
    await expect(
      testClient(fake, { tokenCache: cache }).getFollowerInfo(OPENID),
    ).resolves.toMatchObject({ subscribe: 1 })
    expect((await cache.get(`wechat:token:${APP_ID}`))?.value).toBe('GT-theirs')
    expect(fake.hits('cgi-bin/stable_token')).toBe(1)
    expect(
      fake.calls
        .filter((c) => c.path === 'cgi-bin/user/info')
        .map((c) => c.query.get('access_token')),
    ).toEqual(['GT-mine', 'GT-theirs'])
  })

  it('does not refetch the token for other errors (40003 invalid openid)', async () => {
    fake.on('cgi-bin/stable_token', { body: { access_token: 'GT1', expires_in: 7200 } })
    fake.on('cgi-bin/user/info', { body: { errcode: 40003, errmsg: 'invalid openid' } })
    await expect(testClient(fake).getFollowerInfo(OPENID)).rejects.toMatchObject({
      errcode: 40003,
      kind: 'unknown',
    })
    expect(fake.hits('cgi-bin/stable_token')).toBe(1)
    expect(fake.hits('cgi-bin/user/info')).toBe(1)
  })
})

describe('createWechatClient options', () => {
  it('exposes the appId', () => {
    expect(createWechatClient({ appId: APP_ID, secret: SECRET }).appId).toBe(APP_ID)
  })

  it.each([
    ['an empty appId', { appId: '' }],
    ['an empty secret', { secret: '' }],
    ['a relative apiBase', { apiBase: '/api' }],
    ['a non-http openBase', { openBase: 'ftp://open.weixin.qq.com' }],
    ['a zero timeout', { timeoutMs: 0 }],
    ['negative retries', { retries: -1 }],
    ['more than 2 retries', { retries: 3 }],
    ['a fractional retry count', { retries: 1.5 }],
    ['an unknown globalTokenMode', { globalTokenMode: 'force' as 'stable' }],
  ])('rejects %s with a TypeError', (_label, override) => {
    expect(() => createWechatClient({ appId: APP_ID, secret: SECRET, ...override })).toThrow(
      TypeError,
    )
  })

  it('does not expose the secret on the client object', () => {
    const client = createWechatClient({ appId: APP_ID, secret: SECRET })
    expect(JSON.stringify(client)).not.toContain(SECRET)
    expect(Object.values(client)).not.toContain(SECRET)
  })

  it('strips a trailing slash from apiBase', async () => {
    fake.on('sns/auth', { body: { errcode: 0, errmsg: 'ok' } })
    const client = testClient(fake, { apiBase: `${fake.url}/` })
    expect(await client.checkWebToken(WEB_TOKEN, OPENID)).toBe('valid')
    expect(fake.calls[0]?.path).toBe('sns/auth')
  })
})
