import { describe, expect, it } from 'vitest'
import { buildAuthorizeUrl, createWechatClient } from '../src/index.js'
import { APP_ID, SECRET } from './helpers/client.js'

const OPEN = 'https://open.weixin.qq.com'

describe('buildAuthorizeUrl', () => {
  const client = createWechatClient({ appId: APP_ID, secret: SECRET })

  it('builds the exact documented URL for snsapi_base', () => {
    expect(
      client.buildAuthorizeUrl({
        redirectUri: 'https://h5.example.com/',
        scope: 'snsapi_base',
        state: 'abc123',
      }),
    ).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx5f3c1a9e2b7d4f60' +
        '&redirect_uri=https%3A%2F%2Fh5.example.com%2F&response_type=code&scope=snsapi_base' +
        '&state=abc123#wechat_redirect',
    )
  })

  it('encodes redirect_uri exactly once, keeping its own query intact', () => {
    const url = client.buildAuthorizeUrl({
      redirectUri: 'http://127.0.0.1:5173/activity?id=7&tab=a b%20c',
      scope: 'snsapi_userinfo',
      state: 'S'.repeat(32),
    })
    expect(url).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx5f3c1a9e2b7d4f60' +
        '&redirect_uri=http%3A%2F%2F127.0.0.1%3A5173%2Factivity%3Fid%3D7%26tab%3Da%20b%2520c' +
        `&response_type=code&scope=snsapi_userinfo&state=${'S'.repeat(32)}#wechat_redirect`,
    )
    // Decoding once gives back the original: no double encoding.
    const raw = /redirect_uri=([^&]*)/.exec(url)?.[1] ?? ''
    expect(decodeURIComponent(raw)).toBe('http://127.0.0.1:5173/activity?id=7&tab=a b%20c')
  })

  it('puts forcePopup after state and before #wechat_redirect', () => {
    expect(
      client.buildAuthorizeUrl({
        redirectUri: 'https://h5.example.com/me',
        scope: 'snsapi_userinfo',
        state: 'Zz09',
        forcePopup: true,
      }),
    ).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx5f3c1a9e2b7d4f60' +
        '&redirect_uri=https%3A%2F%2Fh5.example.com%2Fme&response_type=code&scope=snsapi_userinfo' +
        '&state=Zz09&forcePopup=true#wechat_redirect',
    )
  })

  it('omits forcePopup when false', () => {
    const url = client.buildAuthorizeUrl({
      redirectUri: 'https://h5.example.com/',
      scope: 'snsapi_base',
      state: 'a',
      forcePopup: false,
    })
    expect(url).not.toContain('forcePopup')
    expect(url.endsWith('&state=a#wechat_redirect')).toBe(true)
  })

  it('keeps the parameter order appid, redirect_uri, response_type, scope, state', () => {
    const url = client.buildAuthorizeUrl({
      redirectUri: 'https://h5.example.com/',
      scope: 'snsapi_userinfo',
      state: 'x',
      forcePopup: true,
    })
    const query = url.slice(url.indexOf('?') + 1, url.indexOf('#'))
    expect(query.split('&').map((pair) => pair.split('=')[0])).toEqual([
      'appid',
      'redirect_uri',
      'response_type',
      'scope',
      'state',
      'forcePopup',
    ])
    expect(url.indexOf('#')).toBe(url.length - '#wechat_redirect'.length)
  })

  it('uses the configured open base without doubling a trailing slash', () => {
    const local = createWechatClient({
      appId: APP_ID,
      secret: SECRET,
      openBase: 'http://127.0.0.1:3100/',
    })
    expect(
      local.buildAuthorizeUrl({
        redirectUri: 'http://localhost:5173/',
        scope: 'snsapi_base',
        state: 's',
      }),
    ).toBe(
      'http://127.0.0.1:3100/connect/oauth2/authorize?appid=wx5f3c1a9e2b7d4f60' +
        '&redirect_uri=http%3A%2F%2Flocalhost%3A5173%2F&response_type=code&scope=snsapi_base' +
        '&state=s#wechat_redirect',
    )
  })

  it('rejects a redirect URI with a fragment', () => {
    expect(() =>
      client.buildAuthorizeUrl({
        redirectUri: 'https://h5.example.com/#/login',
        scope: 'snsapi_base',
        state: 'abc',
      }),
    ).toThrow(TypeError)
    expect(() =>
      client.buildAuthorizeUrl({
        redirectUri: 'https://h5.example.com/p#',
        scope: 'snsapi_base',
        state: 'abc',
      }),
    ).toThrow(/fragment/)
  })

  it('rejects a relative or non-http redirect URI', () => {
    for (const redirectUri of ['/me', 'javascript:alert(1)', 'ftp://h5.example.com/']) {
      expect(() =>
        client.buildAuthorizeUrl({ redirectUri, scope: 'snsapi_base', state: 'abc' }),
      ).toThrow(TypeError)
    }
  })

  it.each([
    ['empty', ''],
    ['129 characters', 'a'.repeat(129)],
    ['a hyphen', 'abc-def'],
    ['an underscore', 'abc_def'],
    ['percent-encoding', 'a%20b'],
    ['a space', 'a b'],
    ['non-ASCII', 'état'],
  ])('rejects a state with %s', (_label, state) => {
    expect(() =>
      client.buildAuthorizeUrl({
        redirectUri: 'https://h5.example.com/',
        scope: 'snsapi_base',
        state,
      }),
    ).toThrow(TypeError)
  })

  it('accepts a state of exactly 128 alphanumerics', () => {
    const state = 'aZ9'.repeat(42) + 'ab'
    expect(state).toHaveLength(128)
    expect(
      buildAuthorizeUrl(OPEN, APP_ID, {
        redirectUri: 'https://h5.example.com/',
        scope: 'snsapi_base',
        state,
      }),
    ).toContain(`&state=${state}#wechat_redirect`)
  })

  it('rejects an unknown scope', () => {
    expect(() =>
      client.buildAuthorizeUrl({
        redirectUri: 'https://h5.example.com/',
        // @ts-expect-error: the scope is deliberately outside the Scope union
        scope: 'snsapi_login',
        state: 'abc',
      }),
    ).toThrow(TypeError)
  })
})
