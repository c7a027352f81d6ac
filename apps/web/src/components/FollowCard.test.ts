import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import FollowCard from './FollowCard.vue'

describe('FollowCard', () => {
  it('shows the account QR image at a fixed size, with a line of text', () => {
    const wrapper = mount(FollowCard, { props: { qrCodeUrl: 'https://h5.example.com/qr.jpg' } })
    expect(wrapper.get('h2').text()).toBe('关注公众号')
    const img = wrapper.get('[data-test=follow-qr]')
    expect(img.attributes()).toMatchObject({
      src: 'https://h5.example.com/qr.jpg',
      width: '88',
      height: '88',
      alt: '公众号二维码',
    })
    expect(wrapper.text()).toContain('长按识别二维码')
    expect(wrapper.get('section').attributes('aria-labelledby')).toBe(
      wrapper.get('h2').attributes('id'),
    )
  })
})
