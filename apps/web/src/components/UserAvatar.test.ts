import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import UserAvatar from './UserAvatar.vue'
import { FALLBACK_AVATAR } from './fallback-avatar.js'

const URL_132 = 'https://thirdwx.qlogo.cn/mmopen/vi_32/abc/132'

describe('UserAvatar', () => {
  it('asks WeChat for the requested size, with width, height and alt', () => {
    const img = mount(UserAvatar, {
      props: { src: URL_132, size: 96, display: 36, alt: '小明的头像' },
    })
    expect(img.attributes('src')).toBe('https://thirdwx.qlogo.cn/mmopen/vi_32/abc/96')
    expect(img.attributes('width')).toBe('36')
    expect(img.attributes('height')).toBe('36')
    expect(img.attributes('alt')).toBe('小明的头像')
    expect(img.attributes('referrerpolicy')).toBe('no-referrer')
  })

  it('shows the fallback when WeChat has no avatar ("")', () => {
    const img = mount(UserAvatar, { props: { src: '', size: 132, display: 66, alt: '默认头像' } })
    expect(img.attributes('src')).toBe(FALLBACK_AVATAR)
    expect(img.attributes('width')).toBe('66')
    expect(img.classes()).toContain('user-avatar_fallback')
  })

  it('falls back when the avatar URL is dead, and retries with a new URL', async () => {
    const img = mount(UserAvatar, { props: { src: URL_132, size: 132, display: 66, alt: 'a' } })
    await img.trigger('error')
    expect(img.attributes('src')).toBe(FALLBACK_AVATAR)
    await img.setProps({ src: 'https://thirdwx.qlogo.cn/mmopen/vi_32/new/132' })
    expect(img.attributes('src')).toBe('https://thirdwx.qlogo.cn/mmopen/vi_32/new/132')
  })
})
