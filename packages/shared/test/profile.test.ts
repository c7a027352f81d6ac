import { describe, expect, it } from 'vitest'
import { AVATAR_SIZES, avatarUrl } from '../src/profile.js'

const AVATAR =
  'https://thirdwx.qlogo.cn/mmopen/vi_32/Q0j4TwGTfTLkQ5ibiaD1ZicaiaB4ic7kLqDm0rVvTOQ3kfh2Dn4g/132'

describe('avatarUrl', () => {
  it.each(AVATAR_SIZES)('replaces the size segment with %i', (size) => {
    expect(avatarUrl(AVATAR, size)).toBe(AVATAR.replace(/132$/, String(size)))
  })

  it('keeps an empty avatar empty', () => {
    expect(avatarUrl('', 96)).toBe('')
  })

  it('upgrades WeChat CDN avatars to https but leaves other hosts alone', () => {
    expect(avatarUrl('http://thirdwx.qlogo.cn/mmopen/abc/46', 132)).toBe(
      'https://thirdwx.qlogo.cn/mmopen/abc/132',
    )
    expect(avatarUrl('http://127.0.0.1:3100/mmopen/alice/132', 64)).toBe(
      'http://127.0.0.1:3100/mmopen/alice/64',
    )
  })

  it('returns a URL without a size segment unchanged', () => {
    expect(avatarUrl('https://example.com/a.png', 64)).toBe('https://example.com/a.png')
  })
})
