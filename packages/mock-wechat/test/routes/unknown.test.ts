import { describe, expect, it } from 'vitest'
import { APPID, SECRET, expectErrcode, startMock } from '../helpers.js'

/**
 * WeChat answers a path it does not serve with errcode 40066 "invalid url" ("请检查API的URL是否与文档
 * 一致") and a wrong method with 43001 "require GET method" / 43002 "require POST method", as JSON
 * with HTTP 200: clients parse every body as JSON.
 * @see https://developers.weixin.qq.com/doc/store/API/basics/commErrCode.html
 */
describe('paths and methods the simulator does not serve', () => {
  it('answers an unknown API path with errcode 40066 in WeChat JSON, never a 404 page', async () => {
    const mock = await startMock()
    for (const path of ['/cgi-bin/menu/create', '/cgi-bin/user/info/batchget', '/nope']) {
      const answer = await mock.api(path, { access_token: 'x' })
      expectErrcode(answer, 40066)
      expect(answer.body.errmsg).toMatch(/^invalid url rid: /)
      expect(answer.contentType).toBe('application/json; encoding=utf-8')
    }
    const sns = await mock.api('/sns/jscode2session', { appid: APPID })
    expectErrcode(sns, 40066)
    expect(sns.contentType).toBe('text/plain')
  })

  it('answers a wrong method on a known path with 43001, or 43002 for the POST-only stable_token', async () => {
    const mock = await startMock()
    expectErrcode(await mock.api('/cgi-bin/user/info', undefined, { method: 'POST' }), 43001)
    expectErrcode(await mock.api('/sns/userinfo', undefined, { method: 'PUT' }), 43001)
    const stable = await mock.api('/cgi-bin/stable_token', undefined, { method: 'DELETE' })
    expectErrcode(stable, 43002)
  })

  it('logs calls to unknown API paths with their errcode, credentials masked', async () => {
    const mock = await startMock()
    await mock.api('/cgi-bin/menu/get', {
      access_token: 'abcdefghijkl',
      appid: APPID,
      secret: SECRET,
    })
    await mock.fetch('/favicon.ico')
    const { calls, counts } = (await mock.read('/__mock/calls')).body
    expect(counts).toEqual({ 'cgi-bin/menu/get': 1 })
    expect(calls[0]).toMatchObject({
      endpoint: 'cgi-bin/menu/get',
      method: 'GET',
      errcode: 40066,
      params: { access_token: 'abcd***', secret: '***' },
    })
  })

  it('keeps a plain 404 under /__mock, which is not WeChat', async () => {
    const mock = await startMock()
    const answer = await mock.read('/__mock/nope')
    expect(answer.status).toBe(404)
    expect(answer.body).toMatchObject({ statusCode: 404, error: 'Not Found' })
  })
})
