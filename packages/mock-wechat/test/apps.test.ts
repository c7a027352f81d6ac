import { describe, expect, it } from 'vitest'
import {
  DEFAULT_APP,
  buildMockWechat,
  isAuthorisedHost,
  loadMockAppsFromEnv,
} from '../src/index.js'

describe('DEFAULT_APP', () => {
  it('is the documented development app', () => {
    expect(DEFAULT_APP).toEqual({
      appid: 'wx5f3c1a9e2b7d4f60',
      secret: 'mock-secret-for-local-development-only',
      domains: ['127.0.0.1:5173', 'localhost:5173', '127.0.0.1:3000', 'localhost:3000'],
    })
  })
})

describe('loadMockAppsFromEnv', () => {
  it('falls back to the default app when MOCK_WECHAT_APPS is unset or blank', () => {
    expect(loadMockAppsFromEnv({})).toEqual([DEFAULT_APP])
    expect(loadMockAppsFromEnv({ MOCK_WECHAT_APPS: '  ' })).toEqual([DEFAULT_APP])
  })

  it('reads a JSON array of apps', () => {
    const apps = [
      { appid: 'wxa', secret: 's1', domains: ['h5.example.com'] },
      { appid: 'wxb', secret: 's2', domains: ['localhost:8080'], testAccount: true },
    ]
    expect(loadMockAppsFromEnv({ MOCK_WECHAT_APPS: JSON.stringify(apps) })).toEqual(apps)
  })

  it.each([
    ['invalid JSON', '[{', /not valid JSON/],
    ['an object', '{"appid":"wxa"}', /must be a JSON array/],
    ['an empty array', '[]', /at least one app/],
    ['a missing secret', '[{"appid":"wxa","domains":[]}]', /apps\[0\]/],
    [
      'a URL as domain',
      '[{"appid":"wxa","secret":"s","domains":["http://x.com"]}]',
      /apps\[0\]\.domains\.0/,
    ],
    ['an unknown field', '[{"appid":"wxa","secret":"s","domains":[],"secrett":"x"}]', /apps\[0\]/],
    [
      'a duplicate appid',
      '[{"appid":"wxa","secret":"s","domains":[]},{"appid":"wxa","secret":"t","domains":[]}]',
      /listed twice/,
    ],
  ])('throws a readable error for %s', (_name, raw, message) => {
    expect(() => loadMockAppsFromEnv({ MOCK_WECHAT_APPS: raw })).toThrow(message)
  })
})

describe('officialAccount', () => {
  // "不支持IP地址、端口号及短链域名": the admin console refuses such entries for an official account.
  // @see https://cloud.tencent.com/developer/article/2005981
  it.each([
    ['a port', 'h5.example.test:8080', /takes no port/],
    ['an IP address', '10.0.0.2', /takes no IP address/],
  ])('refuses a web-auth domain with %s', (_name, domain, message) => {
    expect(() =>
      buildMockWechat({
        apps: [{ appid: 'wxo', secret: 's', domains: [domain], officialAccount: true }],
      }),
    ).toThrow(message)
  })

  it('is either a test account or an official account', () => {
    expect(() =>
      buildMockWechat({
        apps: [
          { appid: 'wxo', secret: 's', domains: [], officialAccount: true, testAccount: true },
        ],
      }),
    ).toThrow(/not both/)
  })

  it('takes domain entries with a path, as the admin console does', () => {
    const apps = [{ appid: 'wxo', secret: 's', domains: ['wx.qq.com/mp'], officialAccount: true }]
    expect(loadMockAppsFromEnv({ MOCK_WECHAT_APPS: JSON.stringify(apps) })).toEqual(apps)
  })
})

describe('buildMockWechat', () => {
  it('refuses invalid apps', () => {
    expect(() => buildMockWechat({ apps: [] })).toThrow(/at least one app/)
  })

  it('can be awaited as well as used directly', async () => {
    const app = await buildMockWechat()
    try {
      const response = await app.inject('/__mock/apps')
      expect(response.statusCode).toBe(200)
    } finally {
      await app.close()
    }
  })
})

describe('isAuthorisedHost', () => {
  it('matches host[:port] exactly, case-insensitively', () => {
    expect(isAuthorisedHost(DEFAULT_APP, '127.0.0.1:5173')).toBe(true)
    expect(isAuthorisedHost(DEFAULT_APP, 'LOCALHOST:3000')).toBe(true)
    expect(isAuthorisedHost(DEFAULT_APP, '127.0.0.1')).toBe(false)
    expect(isAuthorisedHost(DEFAULT_APP, '127.0.0.1:51730')).toBe(false)
    expect(isAuthorisedHost({ ...DEFAULT_APP, domains: ['www.qq.com'] }, 'pay.qq.com')).toBe(false)
  })
})
