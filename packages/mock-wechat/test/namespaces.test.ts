import { describe, expect, it } from 'vitest'
import { DEFAULT_APP, openidFor } from '../src/index.js'
import { CALLBACK, authorize, expectErrcode, location, startMock, type Mock } from './helpers.js'

/** Two suites' apps, each in its own namespace, beside the default app. */
const SUITE_A = {
  appid: 'wxsuitea000000001',
  secret: 'a',
  domains: ['127.0.0.1:5173'],
  namespace: 'suite-a',
}
const SUITE_B = {
  appid: 'wxsuiteb000000001',
  secret: 'b',
  domains: ['127.0.0.1:5173'],
  namespace: 'suite-b',
}
const APPS = [DEFAULT_APP, SUITE_A, SUITE_B]
const inA = { 'x-mock-namespace': 'suite-a' }
const inB = { 'x-mock-namespace': 'suite-b' }

function login(mock: Mock, app: typeof SUITE_A, scope = 'snsapi_userinfo') {
  return authorize(mock, { appid: app.appid, scope, redirect_uri: CALLBACK })
}

function exchangeFor(mock: Mock, app: typeof SUITE_A, code: string) {
  return mock.api('/sns/oauth2/access_token', {
    appid: app.appid,
    secret: app.secret,
    code,
    grant_type: 'authorization_code',
  })
}

describe('namespaces', () => {
  it('keeps consent per namespace: a persona chosen in one is not the persona of another', async () => {
    const mock = await startMock({ apps: APPS })
    await mock.control('/__mock/consent', { action: 'allow', persona: 'emoji' }, inA)
    await mock.control('/__mock/consent', { action: 'deny' }, inB)
    const a = location(await login(mock, SUITE_A))
    const token = await exchangeFor(mock, SUITE_A, a.searchParams.get('code') ?? '')
    expect(token.body.openid).toBe(openidFor('emoji', SUITE_A.appid))
    expect(await (await login(mock, SUITE_B)).text()).toContain('data-test="mock-cancelled"')
    // The default namespace still shows the consent page with alice.
    expect(await (await authorize(mock)).text()).toContain('value="alice" checked')
  })

  it('keeps failures per namespace', async () => {
    const mock = await startMock({ apps: APPS })
    await mock.control('/__mock/consent', { action: 'allow' }, inA)
    await mock.control('/__mock/consent', { action: 'allow' }, inB)
    await mock.control(
      '/__mock/fail',
      { endpoint: 'sns/oauth2/access_token', mode: 'errcode', errcode: -1 },
      inA,
    )
    const b = location(await login(mock, SUITE_B)).searchParams.get('code') ?? ''
    expect((await exchangeFor(mock, SUITE_B, b)).body.access_token).toBeTruthy()
    const a = location(await login(mock, SUITE_A)).searchParams.get('code') ?? ''
    expectErrcode(await exchangeFor(mock, SUITE_A, a), -1)
    expect((await mock.read('/__mock/state')).body.faults).toEqual([])
  })

  it('keeps the clock per namespace: codes expire in one and not in another', async () => {
    const mock = await startMock({ apps: APPS })
    await mock.control('/__mock/consent', { action: 'allow' }, inA)
    await mock.control('/__mock/consent', { action: 'allow' }, inB)
    const a = location(await login(mock, SUITE_A)).searchParams.get('code') ?? ''
    const b = location(await login(mock, SUITE_B)).searchParams.get('code') ?? ''
    await mock.control('/__mock/clock', { advanceSeconds: 301 }, inA)
    expectErrcode(await exchangeFor(mock, SUITE_A, a), 40029)
    expect((await exchangeFor(mock, SUITE_B, b)).body.access_token).toBeTruthy()
    expect((await mock.read('/__mock/clock', inB)).body.offsetSeconds).toBe(0)
  })

  it('keeps the call log per namespace; GET /__mock/calls without one shows the default', async () => {
    const mock = await startMock({ apps: APPS })
    await login(mock, SUITE_A, 'snsapi_base')
    await login(mock, SUITE_A, 'snsapi_base')
    await authorize(mock, { scope: 'snsapi_base' })
    expect((await mock.read('/__mock/calls', inA)).body.counts).toEqual({
      'connect/oauth2/authorize': 2,
    })
    const plain = (await mock.read('/__mock/calls')).body
    expect(Object.keys(plain)).toEqual(['calls', 'counts'])
    expect(plain.counts).toEqual({ 'connect/oauth2/authorize': 1 })
    expect((await mock.read('/__mock/calls?namespace=suite-b')).body.calls).toEqual([])
  })

  it('resets one namespace without touching another', async () => {
    const mock = await startMock({ apps: APPS })
    await mock.control('/__mock/consent', { action: 'allow' }, inA)
    await mock.control('/__mock/consent', { action: 'allow' }, inB)
    const b = location(await login(mock, SUITE_B)).searchParams.get('code') ?? ''
    await mock.control('/__mock/reset', undefined, inA)
    expect((await mock.read('/__mock/state', inB)).body.consent.action).toBe('allow')
    expect((await exchangeFor(mock, SUITE_B, b)).body.access_token).toBeTruthy()
  })

  it('refuses a namespace no app names with 400', async () => {
    const mock = await startMock({ apps: APPS })
    const answer = await mock.control(
      '/__mock/consent',
      { action: 'allow' },
      { 'x-mock-namespace': 'suite-c' },
    )
    expect(answer.status).toBe(400)
    expect(answer.body.message).toMatch(
      /unknown namespace suite-c; known: default, suite-a, suite-b/,
    )
    expect((await mock.read('/__mock/namespaces')).body).toEqual([
      { name: 'default', appids: [DEFAULT_APP.appid] },
      { name: 'suite-a', appids: [SUITE_A.appid] },
      { name: 'suite-b', appids: [SUITE_B.appid] },
    ])
  })
})
