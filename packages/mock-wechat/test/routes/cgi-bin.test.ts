import { describe, expect, it } from 'vitest'
import { DEFAULT_APP } from '../../src/index.js'
import { APPID, SECRET, advance, expectErrcode, loginAs, startMock, type Mock } from '../helpers.js'

const JSON_TYPE = 'application/json; encoding=utf-8'

function token(mock: Mock, overrides: Record<string, string> = {}) {
  return mock.api('/cgi-bin/token', {
    grant_type: 'client_credential',
    appid: APPID,
    secret: SECRET,
    ...overrides,
  })
}

function stable(mock: Mock, body: unknown, contentType = 'application/json') {
  return mock.api('/cgi-bin/stable_token', undefined, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

const stableBody = (force_refresh?: boolean) => ({
  grant_type: 'client_credential',
  appid: APPID,
  secret: SECRET,
  ...(force_refresh === undefined ? {} : { force_refresh }),
})

function followerInfo(mock: Mock, accessToken: string, openid: string) {
  return mock.api('/cgi-bin/user/info', { access_token: accessToken, openid, lang: 'zh_CN' })
}

function ticket(mock: Mock, accessToken: string, type = 'jsapi') {
  return mock.api('/cgi-bin/ticket/getticket', { access_token: accessToken, type })
}

describe('GET /cgi-bin/token', () => {
  it('returns {access_token, expires_in: 7200} as application/json; encoding=utf-8', async () => {
    const mock = await startMock()
    const answer = await token(mock)
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe(JSON_TYPE)
    expect(Object.keys(answer.body)).toEqual(['access_token', 'expires_in'])
    expect(answer.body.expires_in).toBe(7200)
    expect(answer.body.access_token).toMatch(/^\d+_[A-Za-z0-9_-]{133}$/)
  })

  it('supersedes the previous token, which keeps working for 5 minutes, then 40001', async () => {
    const mock = await startMock()
    const first = (await token(mock)).body.access_token
    const second = (await token(mock)).body.access_token
    expect(second).not.toBe(first)
    expect((await ticket(mock, first)).body.errcode).toBe(0)
    await advance(mock, 299)
    expect((await ticket(mock, first)).body.errcode).toBe(0)
    await advance(mock, 2)
    const dead = await ticket(mock, first)
    expectErrcode(dead, 40001)
    expect(dead.contentType).toBe(JSON_TYPE)
    // cgi-bin's 40001 carries the getStableAccessToken hint (current commErrCode wording).
    expect(dead.body.errmsg).toMatch(
      /^invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken/,
    )
    expect((await ticket(mock, second)).body.errcode).toBe(0)
  })

  it('expires a token after 7200 s with 42001', async () => {
    const mock = await startMock()
    const value = (await token(mock)).body.access_token
    await advance(mock, 7200)
    expectErrcode(await ticket(mock, value), 42001)
  })

  it('answers 45009 on the 2001st call of the day, and again the next day', async () => {
    const mock = await startMock()
    const batch = 50
    for (let done = 0; done < 2000; done += batch) {
      const answers = await Promise.all(Array.from({ length: batch }, () => token(mock)))
      for (const answer of answers) expect(answer.body.access_token).toBeTruthy()
    }
    const over = await token(mock)
    expectErrcode(over, 45009)
    expect(over.body.errmsg).toMatch(/^reach max api daily quota limit/)
    await advance(mock, 86400)
    expect((await token(mock)).body.access_token).toBeTruthy()
  }, 30_000)

  it('answers 40164 with the caller IP when the whitelist leaves it out', async () => {
    const mock = await startMock({ apps: [{ ...DEFAULT_APP, ipWhitelist: ['10.0.0.1'] }] })
    const answer = await token(mock)
    expect(answer.body.errcode).toBe(40164)
    expect(answer.body.errmsg).toMatch(
      /^invalid ip 127\.0\.0\.1 ipv6 ::ffff:127\.0\.0\.1, not in whitelist rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/,
    )
    const allowed = await startMock({ apps: [{ ...DEFAULT_APP, ipWhitelist: ['127.0.0.1'] }] })
    expect((await token(allowed)).body.access_token).toBeTruthy()
  })

  it.each([
    ['a wrong secret', { secret: 'wrong' }, 40125],
    ['an unknown appid', { appid: 'wx9999999999999999' }, 40013],
    ['no appid', { appid: '' }, 41002],
    ['no secret', { secret: '' }, 41004],
    ['a wrong grant_type', { grant_type: 'authorization_code' }, 40002],
  ] as const)('answers %s with its errcode', async (_name, overrides, errcode) => {
    const mock = await startMock()
    const answer = await token(mock, overrides)
    expectErrcode(answer, errcode)
    expect(answer.contentType).toBe(JSON_TYPE)
  })
})

describe('POST /cgi-bin/stable_token', () => {
  it('returns the same token in normal mode, with the time left as expires_in', async () => {
    const mock = await startMock()
    const first = await stable(mock, stableBody())
    expect(first.contentType).toBe(JSON_TYPE)
    expect(first.body.expires_in).toBe(7200)
    await advance(mock, 1000)
    const second = await stable(mock, stableBody(false))
    expect(second.body).toEqual({ access_token: first.body.access_token, expires_in: 6200 })
  })

  it('renews in the last 5 minutes; the old token lives until its own expiry', async () => {
    const mock = await startMock()
    const old = (await stable(mock, stableBody())).body.access_token
    await advance(mock, 6899) // 301 s left: still the same token
    expect((await stable(mock, stableBody())).body).toEqual({ access_token: old, expires_in: 301 })
    await advance(mock, 2) // 299 s left: renewed
    const renewed = await stable(mock, stableBody())
    expect(renewed.body.access_token).not.toBe(old)
    expect(renewed.body.expires_in).toBe(7200)
    expect((await ticket(mock, old)).body.errcode).toBe(0)
    await advance(mock, 299)
    expectErrcode(await ticket(mock, old), 42001)
    expect((await ticket(mock, renewed.body.access_token)).body.errcode).toBe(0)
  })

  it('force_refresh invalidates the current token at once', async () => {
    const mock = await startMock()
    const old = (await stable(mock, stableBody())).body.access_token
    const forced = await stable(mock, stableBody(true))
    expect(forced.body.access_token).not.toBe(old)
    expect(forced.body.expires_in).toBe(7200)
    expectErrcode(await ticket(mock, old), 40001)
  })

  it('ignores a second force_refresh within 30 s, and allows 20 a day', async () => {
    let now = Date.UTC(2025, 0, 6, 2, 0, 0) // 10:00 in Beijing: the whole test stays in one day
    const mock = await startMock({ now: () => now })
    const first = (await stable(mock, stableBody(true))).body.access_token
    now += 29_000
    expect((await stable(mock, stableBody(true))).body.access_token).toBe(first)
    for (let i = 2; i <= 20; i += 1) {
      now += 31_000
      expect((await stable(mock, stableBody(true))).body.access_token).toBeTruthy()
    }
    now += 31_000
    expectErrcode(await stable(mock, stableBody(true)), 45009)
    now += 24 * 3600 * 1000
    expect((await stable(mock, stableBody(true))).body.access_token).toBeTruthy()
  })

  it('is isolated from /cgi-bin/token', async () => {
    const mock = await startMock()
    const fromStable = (await stable(mock, stableBody())).body.access_token
    await token(mock)
    await token(mock)
    await advance(mock, 301)
    expect((await ticket(mock, fromStable)).body.errcode).toBe(0)
  })

  it('only takes a JSON POST: GET 43002, a form body 41002, broken JSON 47001', async () => {
    const mock = await startMock()
    expectErrcode(await mock.api('/cgi-bin/stable_token', { appid: APPID, secret: SECRET }), 43002)
    const form = new URLSearchParams({
      grant_type: 'client_credential',
      appid: APPID,
      secret: SECRET,
    }).toString()
    expectErrcode(await stable(mock, form, 'application/x-www-form-urlencoded'), 41002)
    expectErrcode(await stable(mock, '{"appid":'), 47001)
  })

  it.each([
    ['a wrong secret', { secret: 'wrong' }, 40125],
    ['an unknown appid', { appid: 'wx9999999999999999' }, 40013],
    ['no appid', { appid: undefined }, 41002],
    ['no secret', { secret: undefined }, 41004],
    ['a wrong grant_type', { grant_type: 'refresh_token' }, 40002],
  ] as const)('answers %s with its errcode', async (_name, overrides, errcode) => {
    const mock = await startMock()
    expectErrcode(await stable(mock, { ...stableBody(), ...overrides }), errcode)
  })
})

describe('GET /cgi-bin/user/info', () => {
  it('describes a follower: subscribe 1, follow time and scene, unionid, no nickname or avatar', async () => {
    const mock = await startMock()
    const global = (await token(mock)).body.access_token
    const follower = await loginAs(mock, 'follower', 'snsapi_base')
    const answer = await followerInfo(mock, global, follower.openid)
    expect(answer.contentType).toBe(JSON_TYPE)
    expect(answer.body).toEqual({
      subscribe: 1,
      openid: follower.openid,
      nickname: '',
      sex: 0,
      language: 'zh_CN',
      city: '',
      province: '',
      country: '',
      headimgurl: '',
      subscribe_time: 1677650915,
      unionid: follower.unionid,
      remark: '',
      groupid: 0,
      tagid_list: [],
      subscribe_scene: 'ADD_SCENE_SEARCH',
      qr_scene: 0,
      qr_scene_str: '',
    })
  })

  it('leaves unionid out for an app not bound to the Open Platform', async () => {
    const mock = await startMock({ apps: [{ ...DEFAULT_APP, boundToOpenPlatform: false }] })
    const global = (await token(mock)).body.access_token
    const follower = await loginAs(mock, 'follower', 'snsapi_base')
    const answer = await followerInfo(mock, global, follower.openid)
    expect(answer.body.subscribe).toBe(1)
    expect(answer.body).not.toHaveProperty('unionid')
  })

  it('answers subscribe 0 with almost nothing for a user who does not follow', async () => {
    const mock = await startMock()
    const global = (await token(mock)).body.access_token
    const alice = await loginAs(mock, 'alice', 'snsapi_base')
    expect((await followerInfo(mock, global, alice.openid)).body).toEqual({
      subscribe: 0,
      openid: alice.openid,
      nickname: '',
      sex: 0,
      language: 'zh_CN',
      city: '',
      province: '',
      country: '',
      headimgurl: '',
      tagid_list: [],
    })
  })

  it('answers 40003 for an unknown or virtual openid, 41009 without one', async () => {
    const mock = await startMock()
    const global = (await token(mock)).body.access_token
    expectErrcode(await followerInfo(mock, global, 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M'), 40003)
    const snapshot = await loginAs(mock, 'snapshot')
    expectErrcode(await followerInfo(mock, global, snapshot.openid), 40003)
    expectErrcode(await mock.api('/cgi-bin/user/info', { access_token: global }), 41009)
  })

  it('refuses a web token (40001), a token it never issued (40014) and no token (41001)', async () => {
    const mock = await startMock()
    const web = await loginAs(mock, 'alice')
    expectErrcode(await followerInfo(mock, web.access_token, web.openid), 40001)
    expectErrcode(await followerInfo(mock, 'not-a-token', web.openid), 40014)
    expectErrcode(await mock.api('/cgi-bin/user/info', { openid: web.openid }), 41001)
  })
})

describe('GET /cgi-bin/ticket/getticket', () => {
  it('returns errcode 0, ok, a ticket and expires_in; the same ticket while it is valid', async () => {
    const mock = await startMock()
    const global = (await token(mock)).body.access_token
    const answer = await ticket(mock, global)
    expect(answer.contentType).toBe(JSON_TYPE)
    expect(Object.keys(answer.body)).toEqual(['errcode', 'errmsg', 'ticket', 'expires_in'])
    expect(answer.body).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 })
    expect(answer.body.ticket).toMatch(/^[A-Za-z0-9_-]{86}$/)
    await advance(mock, 60)
    expect((await ticket(mock, global)).body).toMatchObject({
      ticket: answer.body.ticket,
      expires_in: 7140,
    })
    await advance(mock, 7200)
    const fresh = (await token(mock)).body.access_token
    expect((await ticket(mock, fresh)).body.ticket).not.toBe(answer.body.ticket)
  })

  // The card api_ticket: GET cgi-bin/ticket/getticket?access_token=…&type=wx_card answers
  // {"errcode":0,"errmsg":"ok","ticket":"…","expires_in":7200}; it is not the jsapi_ticket.
  // @see https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/JS-SDK.html (微信卡券, 获取api_ticket)
  it('hands out the card api_ticket for type=wx_card, a documented type, separate from the jsapi_ticket', async () => {
    const mock = await startMock()
    const global = (await token(mock)).body.access_token
    const card = await ticket(mock, global, 'wx_card')
    expect(card.contentType).toBe(JSON_TYPE)
    expect(Object.keys(card.body)).toEqual(['errcode', 'errmsg', 'ticket', 'expires_in'])
    expect(card.body).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 })
    const jsapi = await ticket(mock, global, 'jsapi')
    expect(jsapi.body.ticket).not.toBe(card.body.ticket)
    expect((await ticket(mock, global, 'wx_card')).body.ticket).toBe(card.body.ticket)
  })

  it('answers 40014 for an unknown-looking token, 41001 without one, 40097 for an undocumented type', async () => {
    const mock = await startMock()
    expectErrcode(await ticket(mock, 'garbage'), 40014)
    expectErrcode(await mock.api('/cgi-bin/ticket/getticket', { type: 'jsapi' }), 41001)
    const global = (await token(mock)).body.access_token
    expectErrcode(await ticket(mock, global, 'wx_coupon'), 40097)
    expectErrcode(await mock.api('/cgi-bin/ticket/getticket', { access_token: global }), 40097)
  })
})
