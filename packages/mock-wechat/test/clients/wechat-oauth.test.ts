/**
 * wechat-oauth (node-webot/wechat-oauth, MIT), unmodified. It hardcodes
 * `https://open.weixin.qq.com` and `https://api.weixin.qq.com`, so it is pointed at the simulator
 * by its host alone: the browser opens the authorize link on the simulator's origin, and the
 * client's HTTPS requests reach the simulator through its documented `setOpts` (urllib's
 * `httpsAgent`) with an agent that connects there instead of to WeChat.
 */
import { randomUUID } from 'node:crypto'
import { promisify } from 'node:util'
import OAuth from 'wechat-oauth'
import { describe, expect, it } from 'vitest'
import { openidFor } from '../../src/index.js'
import { APPID, CALLBACK, SECRET, allowOnConsentPage, startMock, type Mock } from '../helpers.js'
import { SimulatorAgent, onSimulator, portOf } from './route-to-simulator.js'

function client(mock: Mock): OAuth {
  const oauth = new OAuth(APPID, SECRET)
  oauth.setOpts({ httpsAgent: new SimulatorAgent(portOf(mock.base)), timeout: 5000 })
  return oauth
}

describe('wechat-oauth against the simulator', () => {
  it('logs a user in with snsapi_userinfo and a randomUUID() state: authorize, consent, callback, exchange, userinfo, refresh, sns/auth', async () => {
    const mock = await startMock()
    const oauth = client(mock)
    const state = randomUUID()
    const link = oauth.getAuthorizeURL(CALLBACK, state, 'snsapi_userinfo')
    expect(link).toMatch(/^https:\/\/open\.weixin\.qq\.com\/connect\/oauth2\/authorize\?appid=/)
    const callback = await allowOnConsentPage(onSimulator(link, mock.base), 'nounion')
    expect(callback.searchParams.get('state')).toBe(state)

    const token = await promisify(oauth.getAccessToken.bind(oauth))(
      callback.searchParams.get('code') ?? '',
    )
    expect(token.data).toMatchObject({
      openid: openidFor('nounion', APPID),
      scope: 'snsapi_userinfo',
    })
    const user = await promisify(oauth.getUser.bind(oauth))({
      openid: token.data.openid,
      lang: 'zh_CN',
    })
    expect(user).toMatchObject({ openid: token.data.openid, nickname: '韩梅梅' })
    expect(user).not.toHaveProperty('unionid')
    expect(user.headimgurl).toMatch(/\/mmopen\/nounion\/132$/)

    const refreshed = await promisify(oauth.refreshAccessToken.bind(oauth))(
      token.data.refresh_token,
    )
    expect(refreshed.data.access_token).toBe(token.data.access_token) // not expired: same token
    await promisify(oauth.verifyToken.bind(oauth))(token.data.openid, token.data.access_token)

    const { counts } = (await mock.read('/__mock/calls')).body
    expect(counts).toEqual({
      'connect/oauth2/authorize': 1,
      'connect/oauth2/authorize/confirm': 1,
      'sns/oauth2/access_token': 1,
      'sns/userinfo': 1,
      'sns/oauth2/refresh_token': 1,
      'sns/auth': 1,
    })
  })

  it("surfaces WeChat's errcode to the client: a reused code is 40163", async () => {
    const mock = await startMock()
    const oauth = client(mock)
    const link = oauth.getAuthorizeURL(CALLBACK, randomUUID(), 'snsapi_base')
    const response = await fetch(onSimulator(link, mock.base), { redirect: 'manual' })
    const code = new URL(response.headers.get('location') ?? '').searchParams.get('code') ?? ''
    const exchange = promisify(oauth.getAccessToken.bind(oauth))
    await exchange(code)
    await expect(exchange(code)).rejects.toMatchObject({ name: 'WeChatAPIError', code: 40163 })
  })
})
