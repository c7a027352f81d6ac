import { describe, expect, it } from 'vitest'
import { DEFAULT_APP } from '../../src/index.js'
import {
  APPID,
  RID_SUFFIX,
  SECRET,
  advance,
  codeFor,
  exchange,
  expectErrcode,
  loginAs,
  startMock,
  type Mock,
} from '../helpers.js'

const OTHER_APP = {
  appid: 'wx1111111111111111',
  secret: 'other-secret',
  domains: ['127.0.0.1:5173'],
}
const OPENID = /^o[A-Za-z0-9_-]{27}$/

function userinfo(mock: Mock, accessToken: string, openid: string) {
  return mock.api('/sns/userinfo', { access_token: accessToken, openid, lang: 'zh_CN' })
}

function snsAuth(mock: Mock, accessToken: string, openid: string) {
  return mock.api('/sns/auth', { access_token: accessToken, openid })
}

function refresh(mock: Mock, refreshToken: string, appid = APPID) {
  return mock.api('/sns/oauth2/refresh_token', {
    appid,
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
  })
}

describe('GET /sns/oauth2/access_token', () => {
  it('exchanges a snsapi_userinfo code for web tokens with unionid, as text/plain', async () => {
    const mock = await startMock()
    const answer = await exchange(mock, await codeFor(mock, 'alice'))
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe('text/plain')
    expect(Object.keys(answer.body)).toEqual([
      'access_token',
      'expires_in',
      'refresh_token',
      'openid',
      'scope',
      'unionid',
    ])
    expect(answer.body).toMatchObject({ expires_in: 7200, scope: 'snsapi_userinfo' })
    expect(answer.body.access_token).toMatch(/^\d+_[A-Za-z0-9_-]{107}$/)
    expect(answer.body.refresh_token).toMatch(/^\d+_[A-Za-z0-9_-]{107}$/)
    expect(answer.body.openid).toMatch(OPENID)
    expect(answer.body.unionid).toMatch(OPENID)
  })

  it('leaves unionid out for snsapi_base, unless the user follows the account', async () => {
    const mock = await startMock()
    const alice = await loginAs(mock, 'alice', 'snsapi_base')
    expect(alice.scope).toBe('snsapi_base')
    expect(alice).not.toHaveProperty('unionid')
    expect(alice).not.toHaveProperty('is_snapshotuser')
    const follower = await loginAs(mock, 'follower', 'snsapi_base')
    expect(follower.unionid).toMatch(OPENID)
  })

  it('never returns a unionid for the nounion persona or an app not bound to the Open Platform', async () => {
    const mock = await startMock()
    expect(await loginAs(mock, 'nounion')).not.toHaveProperty('unionid')
    const unbound = await startMock({ apps: [{ ...DEFAULT_APP, boundToOpenPlatform: false }] })
    expect(await loginAs(unbound, 'alice')).not.toHaveProperty('unionid')
  })

  it('gives openids per app and unionids per person', async () => {
    const mock = await startMock({ apps: [DEFAULT_APP, OTHER_APP] })
    const here = await loginAs(mock, 'alice')
    const code = await codeFor(mock, 'alice', 'snsapi_userinfo', { appid: OTHER_APP.appid })
    const there = await exchange(mock, code, { appid: OTHER_APP.appid, secret: OTHER_APP.secret })
    expect(there.body.openid).toMatch(OPENID)
    expect(there.body.openid).not.toBe(here.openid)
    expect(there.body.unionid).toBe(here.unionid)
    expect((await loginAs(mock, 'alice')).openid).toBe(here.openid)
  })

  it('marks a snapshot visitor with is_snapshotuser: 1', async () => {
    const mock = await startMock()
    const snapshot = await loginAs(mock, 'snapshot')
    expect(snapshot.is_snapshotuser).toBe(1)
    expect(snapshot.openid).toMatch(OPENID)
  })

  it('answers 40163 on the second exchange of a code', async () => {
    const mock = await startMock()
    const code = await codeFor(mock, 'alice')
    expect((await exchange(mock, code)).body.access_token).toBeTruthy()
    const again = await exchange(mock, code)
    expectErrcode(again, 40163)
    expect(again.body.errmsg).toMatch(/^code been used rid: /)
  })

  it('expires a code after 5 minutes with 40029', async () => {
    const mock = await startMock()
    const fresh = await codeFor(mock, 'alice')
    const stale = await codeFor(mock, 'alice')
    await advance(mock, 299)
    expect((await exchange(mock, fresh)).body.access_token).toBeTruthy()
    await advance(mock, 2)
    expectErrcode(await exchange(mock, stale), 40029)
  })

  it('can answer 42003 for an expired code instead', async () => {
    const mock = await startMock({ expiredCodeErrcode: 42003 })
    const code = await codeFor(mock, 'alice')
    await advance(mock, 301)
    expectErrcode(await exchange(mock, code), 42003)
  })

  it('answers 40029 for a code from another app, and leaves the code usable', async () => {
    const mock = await startMock({ apps: [DEFAULT_APP, OTHER_APP] })
    const code = await codeFor(mock, 'alice')
    expectErrcode(
      await exchange(mock, code, { appid: OTHER_APP.appid, secret: OTHER_APP.secret }),
      40029,
    )
    expect((await exchange(mock, code)).body.access_token).toBeTruthy()
  })

  it('answers 40029 for a code it never issued', async () => {
    const mock = await startMock()
    expectErrcode(await exchange(mock, '071CyW000UGidO1SxY000uNATs1CyW04'), 40029)
  })

  it('answers 40125 for a wrong secret without consuming the code', async () => {
    const mock = await startMock()
    const code = await codeFor(mock, 'alice')
    const wrong = await exchange(mock, code, { secret: 'not-the-secret' })
    expectErrcode(wrong, 40125)
    expect(wrong.body.errmsg).toMatch(/^invalid appsecret rid: /)
    expect((await exchange(mock, code)).body.access_token).toBeTruthy()
  })

  it.each([
    ['appid', 41002],
    ['secret', 41004],
    ['code', 41008],
  ] as const)('answers a missing %s with %i', async (name, errcode) => {
    const mock = await startMock()
    expectErrcode(await exchange(mock, 'x', { [name]: '' }), errcode)
  })

  it('answers 40002 for a wrong grant_type and 40013 for an unknown appid', async () => {
    const mock = await startMock()
    expectErrcode(await exchange(mock, 'x', { grant_type: 'client_credential' }), 40002)
    expectErrcode(await exchange(mock, 'x', { appid: 'wx9999999999999999' }), 40013)
  })

  it('accepts POST with the parameters in the query string', async () => {
    const mock = await startMock()
    const code = await codeFor(mock, 'alice')
    const answer = await mock.api(
      '/sns/oauth2/access_token',
      { appid: APPID, secret: SECRET, code, grant_type: 'authorization_code' },
      { method: 'POST' },
    )
    expect(answer.body.access_token).toBeTruthy()
  })
})

describe('GET /sns/oauth2/refresh_token', () => {
  it('returns the same access_token with a new 7200 s expiry before it expires', async () => {
    const mock = await startMock()
    const login = await loginAs(mock, 'alice')
    await advance(mock, 7000)
    const renewed = await refresh(mock, login.refresh_token)
    expect(renewed.contentType).toBe('text/plain')
    expect(renewed.body).toEqual({
      access_token: login.access_token,
      expires_in: 7200,
      refresh_token: login.refresh_token,
      openid: login.openid,
      scope: 'snsapi_userinfo',
    })
    await advance(mock, 7000) // 14000 s after login, 7000 s after the renewal
    expect((await snsAuth(mock, login.access_token, login.openid)).body).toEqual({
      errcode: 0,
      errmsg: 'ok',
    })
  })

  it('issues a new access_token after expiry; the old one is dead, the refresh_token unchanged', async () => {
    const mock = await startMock()
    const login = await loginAs(mock, 'alice')
    await advance(mock, 7201)
    expectErrcode(await userinfo(mock, login.access_token, login.openid), 42001)
    const renewed = await refresh(mock, login.refresh_token)
    expect(renewed.body.access_token).not.toBe(login.access_token)
    expect(renewed.body.refresh_token).toBe(login.refresh_token)
    expect(renewed.body.expires_in).toBe(7200)
    expectErrcode(await snsAuth(mock, login.access_token, login.openid), 40001)
    expect((await userinfo(mock, renewed.body.access_token, login.openid)).body.nickname).toBe(
      '陈小雨 Alice',
    )
  })

  it('refuses a refresh_token 30 days after the authorisation with 42002, refreshes or not', async () => {
    const mock = await startMock()
    const login = await loginAs(mock, 'alice')
    await advance(mock, 29 * 86400)
    expect((await refresh(mock, login.refresh_token)).body.access_token).toBeTruthy()
    await advance(mock, 86400)
    expectErrcode(await refresh(mock, login.refresh_token), 42002)
  })

  it('answers 40030 for an unknown refresh_token or another app', async () => {
    const mock = await startMock({ apps: [DEFAULT_APP, OTHER_APP] })
    expectErrcode(await refresh(mock, '86_unknown'), 40030)
    const login = await loginAs(mock, 'alice')
    expectErrcode(await refresh(mock, login.refresh_token, OTHER_APP.appid), 40030)
  })

  it('answers 41003 without a refresh_token, 41002 without appid, 40002 for a bad grant_type, 40013 for an unknown app', async () => {
    const mock = await startMock()
    expectErrcode(await refresh(mock, ''), 41003)
    expectErrcode(await refresh(mock, 'x', ''), 41002)
    expectErrcode(
      await mock.api('/sns/oauth2/refresh_token', {
        appid: APPID,
        grant_type: 'authorization_code',
        refresh_token: 'x',
      }),
      40002,
    )
    expectErrcode(await refresh(mock, 'x', 'wx9999999999999999'), 40013)
  })
})

describe('GET /sns/userinfo', () => {
  it('returns the post-2021 shape: sex 0, empty region, nickname, avatar, privilege []', async () => {
    const mock = await startMock()
    const login = await loginAs(mock, 'alice')
    const info = await userinfo(mock, login.access_token, login.openid)
    expect(info.status).toBe(200)
    expect(info.contentType).toBe('text/plain')
    expect(info.body).toEqual({
      openid: login.openid,
      nickname: '陈小雨 Alice',
      sex: 0,
      language: '',
      city: '',
      province: '',
      country: '',
      headimgurl: `${mock.base}/mmopen/alice/132`,
      privilege: [],
      unionid: login.unionid,
    })
    const avatar = await fetch(info.body.headimgurl)
    expect(avatar.status).toBe(200)
    expect(avatar.headers.get('content-type')).toBe('image/jpeg')
  })

  it('keeps an emoji and CJK nickname intact', async () => {
    const mock = await startMock()
    const login = await loginAs(mock, 'emoji')
    const info = await userinfo(mock, login.access_token, login.openid)
    expect(info.body.nickname).toBe('🌸樱花酱🍡 Sakura ✨')
    expect(Buffer.from(info.text, 'utf8').toString('utf8')).toContain('🌸樱花酱🍡')
  })

  it('sends headimgurl "" for a user without an avatar', async () => {
    const mock = await startMock()
    const login = await loginAs(mock, 'noavatar')
    expect((await userinfo(mock, login.access_token, login.openid)).body.headimgurl).toBe('')
  })

  it('leaves unionid out for the nounion persona', async () => {
    const mock = await startMock()
    const login = await loginAs(mock, 'nounion')
    expect((await userinfo(mock, login.access_token, login.openid)).body).not.toHaveProperty(
      'unionid',
    )
  })

  it('answers 48001 for a snsapi_base token and for a snapshot visitor', async () => {
    const mock = await startMock()
    const base = await loginAs(mock, 'alice', 'snsapi_base')
    const refused = await userinfo(mock, base.access_token, base.openid)
    expectErrcode(refused, 48001)
    expect(refused.body.errmsg).toMatch(/^api unauthorized rid: /)
    const snapshot = await loginAs(mock, 'snapshot')
    expectErrcode(await userinfo(mock, snapshot.access_token, snapshot.openid), 48001)
  })

  it('answers 40001 for a global token, 40003 for another openid, 42001 after 7200 s', async () => {
    const mock = await startMock()
    const login = await loginAs(mock, 'alice')
    const global = await mock.api('/cgi-bin/token', {
      grant_type: 'client_credential',
      appid: APPID,
      secret: SECRET,
    })
    expectErrcode(await userinfo(mock, global.body.access_token, login.openid), 40001)
    const other = await loginAs(mock, 'emoji')
    expectErrcode(await userinfo(mock, login.access_token, other.openid), 40003)
    await advance(mock, 7200)
    expectErrcode(await userinfo(mock, login.access_token, login.openid), 42001)
  })

  // The getStableAccessToken hint belongs to the global token's 40001; the web-auth endpoints say
  // "invalid credential, access_token is invalid or not latest".
  // @see https://developers.weixin.qq.com/community/personal/oCJUsw2yQ0PXI2uyM5dKslDM_FuE/answer
  // @see https://developers.weixin.qq.com/doc/channels/API/basics/commErrCode.html (the hint, for cgi-bin)
  it('words 40001 on /sns/* for web tokens, without the global-token (getStableAccessToken) hint', async () => {
    const mock = await startMock()
    const login = await loginAs(mock, 'alice')
    for (const answer of [
      await userinfo(mock, 'not-a-token', login.openid),
      await snsAuth(mock, 'not-a-token', login.openid),
    ]) {
      expectErrcode(answer, 40001)
      expect(answer.body.errmsg).toMatch(
        /^invalid credential, access_token is invalid or not latest rid: [0-9a-f-]{26}$/,
      )
    }
    await mock.control('/__mock/fail', {
      endpoint: 'sns/userinfo',
      mode: 'errcode',
      errcode: 40001,
    })
    const injected = await userinfo(mock, login.access_token, login.openid)
    expect(injected.body.errmsg).not.toContain('getStableAccessToken')
  })

  it('answers 41001 without access_token and 41009 without openid', async () => {
    const mock = await startMock()
    expectErrcode(await mock.api('/sns/userinfo', { openid: 'o' }), 41001)
    expectErrcode(await mock.api('/sns/userinfo', { access_token: 'x' }), 41009)
  })
})

describe('GET /sns/auth', () => {
  it('answers exactly {"errcode":0,"errmsg":"ok"} for a valid token', async () => {
    const mock = await startMock()
    const login = await loginAs(mock, 'alice', 'snsapi_base')
    const answer = await snsAuth(mock, login.access_token, login.openid)
    expect(answer.contentType).toBe('text/plain')
    expect(answer.text).toBe('{"errcode":0,"errmsg":"ok"}')
  })

  it('answers 40003 for an openid the token was not issued to', async () => {
    const mock = await startMock()
    const login = await loginAs(mock, 'alice')
    const answer = await snsAuth(mock, login.access_token, 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M')
    expectErrcode(answer, 40003)
    expect(answer.body.errmsg).toMatch(RID_SUFFIX)
  })

  it('answers 40001 for an unknown token and 42001 for an expired one', async () => {
    const mock = await startMock()
    const login = await loginAs(mock, 'alice')
    expectErrcode(await snsAuth(mock, 'nope', login.openid), 40001)
    await advance(mock, 7200)
    expectErrcode(await snsAuth(mock, login.access_token, login.openid), 42001)
  })
})
