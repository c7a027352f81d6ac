import { describe, expect, it } from 'vitest'
import { callbackUrl } from '../src/index.js'

describe('callbackUrl', () => {
  it.each([
    ['http://127.0.0.1:5173/cb', 'http://127.0.0.1:5173/cb?code=C&state=S'],
    ['https://app.test/#/login', 'https://app.test/?code=C&state=S#/login'],
    [
      'https://app.test/mobile/index.html#!/login',
      'https://app.test/mobile/index.html?code=C&state=S#!/login',
    ],
    [
      'http://api.3dept.com/cgi-bin/query?action=get',
      'http://api.3dept.com/cgi-bin/query?action=get&code=C&state=S',
    ],
    ['https://app.test/p?x=1#/a?b=2', 'https://app.test/p?x=1&code=C&state=S#/a?b=2'],
  ])('%s → %s', (redirectUri, expected) => {
    expect(
      callbackUrl(redirectUri, [
        ['code', 'C'],
        ['state', 'S'],
      ]),
    ).toBe(expected)
  })
})
