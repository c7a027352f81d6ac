/**
 * wechat-jssdk (JasonBoy/wechat-jssdk, MIT), unmodified: its documented URL options
 * (`oAuthUrl`, `apiUrl`, `accessTokenUrl`, `ticketUrl`) are set to the simulator's origin with
 * WeChat's own paths; nothing else changes.
 */
import { createHash, randomUUID } from 'node:crypto'
import wechatJssdk from 'wechat-jssdk'
import { describe, expect, it } from 'vitest'
import { openidFor } from '../../src/index.js'
import { APPID, CALLBACK, SECRET, allowOnConsentPage, startMock, type Mock } from '../helpers.js'

const { Wechat, Store } = wechatJssdk

function client(mock: Mock) {
  return new Wechat({
    appId: APPID,
    appSecret: SECRET,
    wechatRedirectUrl: CALLBACK,
    oAuthUrl: `${mock.base}/connect/oauth2/authorize`,
    apiUrl: mock.base,
    accessTokenUrl: `${mock.base}/cgi-bin/token`,
    ticketUrl: `${mock.base}/cgi-bin/ticket/getticket`,
    card: true,
    store: new Store({ noInterval: true }),
  })
}

describe('wechat-jssdk against the simulator', () => {
  it('logs a user in with snsapi_userinfo and a randomUUID() state: authorize, consent, callback, exchange, userinfo', async () => {
    const mock = await startMock()
    const wx = client(mock)
    const state = randomUUID()
    const link = wx.oauth.generateOAuthUrl(CALLBACK, 'snsapi_userinfo', state)
    expect(link.startsWith(`${mock.base}/connect/oauth2/authorize?`)).toBe(true)
    const callback = await allowOnConsentPage(link, 'emoji')
    expect(callback.origin + callback.pathname).toBe(CALLBACK)
    expect(callback.searchParams.get('state')).toBe(state)
    const profile = await wx.oauth.getUserInfo(callback.searchParams.get('code') ?? '')
    expect(profile).toMatchObject({
      openid: openidFor('emoji', APPID),
      nickname: '🌸樱花酱🍡 Sakura ✨',
      headimgurl: `${mock.base}/mmopen/emoji/132`,
    })
    const { counts } = (await mock.read('/__mock/calls')).body
    expect(counts).toMatchObject({
      'connect/oauth2/authorize': 1,
      'sns/oauth2/access_token': 1,
      'sns/userinfo': 1,
    })
  })

  it('logs a user in silently with snsapi_base and a base64url state', async () => {
    const mock = await startMock()
    const wx = client(mock)
    const state = Buffer.from(randomUUID()).toString('base64url')
    const link = wx.oauth.generateOAuthUrl(CALLBACK, 'snsapi_base', state)
    const callback = new URL(
      (await fetch(link, { redirect: 'manual' })).headers.get('location') ?? '',
    )
    expect(callback.searchParams.get('state')).toBe(state)
    const base = await wx.oauth.getUserBaseInfo(callback.searchParams.get('code') ?? '')
    expect(base).toMatchObject({ openid: openidFor('alice', APPID), scope: 'snsapi_base' })
  })

  it('signs a page for the JS-SDK with a global token and a jsapi_ticket', async () => {
    const mock = await startMock()
    const wx = client(mock)
    const page = 'http://127.0.0.1:5173/activity'
    const signed = await wx.jssdk.getSignature(page)
    const { jsapi_ticket: ticket } = await (
      wx as unknown as { jssdk: { store: InstanceType<typeof Store> } }
    ).jssdk.store.getGlobalToken()
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{86}$/)
    // "jsapi_ticket=…&noncestr=…&timestamp=…&url=…", sha1: the JS-SDK signature algorithm.
    // @see https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/JS-SDK.html (附录1)
    const plain = `jsapi_ticket=${ticket}&noncestr=${signed.nonceStr}&timestamp=${signed.timestamp}&url=${page}`
    expect(signed.signature).toBe(createHash('sha1').update(plain).digest('hex'))
  })

  it("gets the card JS API's api_ticket (type=wx_card)", async () => {
    const mock = await startMock()
    const card = await client(mock).card.getApiTicket()
    expect(card).toMatchObject({
      ticket: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/),
      expires_in: 7200,
    })
    const { calls } = (await mock.read('/__mock/calls')).body
    expect(calls.at(-1)).toMatchObject({
      endpoint: 'cgi-bin/ticket/getticket',
      params: { type: 'wx_card' },
    })
    expect(calls.at(-1)).not.toHaveProperty('errcode')
  })
})
