import { describe, expect, it } from 'vitest'
import { resolveReturnTo } from '../../src/login/return-to.js'

const PUBLIC = 'http://127.0.0.1:5173'

describe('resolveReturnTo', () => {
  it.each([
    ['/', 'http://127.0.0.1:5173/'],
    ['/me', 'http://127.0.0.1:5173/me'],
    ['/activity?tab=2&x=%E4%BD%A0', 'http://127.0.0.1:5173/activity?tab=2&x=%E4%BD%A0'],
    ['/活动', 'http://127.0.0.1:5173/%E6%B4%BB%E5%8A%A8'],
    ['/me#section', 'http://127.0.0.1:5173/me'],
    ['/me?code=OLD&state=OLD&tab=1', 'http://127.0.0.1:5173/me?tab=1'],
  ])('accepts %s', (returnTo, expected) => {
    expect(resolveReturnTo(returnTo, PUBLIC)).toBe(expected)
  })

  it.each([
    '//evil.com',
    '//evil.com/path',
    'https://evil.com',
    'http:/evil.com',
    '/\\evil.com',
    '\\\\evil.com',
    '/\\/evil.com',
    'javascript:alert(1)',
    'me',
    '',
    '/\t/evil.com',
    '/ /evil.com',
    '/\n/evil.com',
  ])('rejects the open-redirect attempt %j', (returnTo) => {
    expect(resolveReturnTo(returnTo, PUBLIC)).toBeNull()
  })

  it('stays under a PUBLIC_URL base path', () => {
    expect(resolveReturnTo('/me', 'https://h5.example.com/app')).toBe(
      'https://h5.example.com/app/me',
    )
    expect(resolveReturnTo('/../../admin', 'https://h5.example.com/app')).toBeNull()
    expect(resolveReturnTo('/%2e%2e/admin', 'https://h5.example.com/app')).toBeNull()
  })
})
