import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import type { Component } from 'vue'
import { testingAuth, type AuthTestState } from '../../test/support/testing-auth.js'
import OpenInWechatScreen from './OpenInWechatScreen.vue'

vi.mock('qrcode', () => ({
  toDataURL: vi.fn(async (text: string) => `data:image/png;base64,${btoa(text)}`),
}))

function setup(component: Component, state: AuthTestState = {}) {
  const { plugins, store, fetch } = testingAuth(state)
  const wrapper = mount(component, { global: { plugins } })
  return { wrapper, store: store(), fetch }
}

describe('OpenInWechatScreen', () => {
  it('shows a QR code of this page with its size and alt text, and makes no request', async () => {
    const { wrapper, fetch } = setup(OpenInWechatScreen, { status: { kind: 'open-in-wechat' } })
    expect(wrapper.attributes('data-test')).toBe('screen-open-in-wechat')
    expect(wrapper.find('.wxauth-qr__placeholder').attributes('style')).toContain('width: 200px')
    await flushPromises()
    const img = wrapper.get('[data-test=qr-code]')
    expect(img.attributes('src')).toBe(`data:image/png;base64,${btoa(window.location.href)}`)
    expect(img.attributes('width')).toBe('200')
    expect(img.attributes('height')).toBe('200')
    expect(img.attributes('alt')).toBeTruthy()
    expect(wrapper.text()).toContain(window.location.href)
    expect(fetch).not.toHaveBeenCalled()
  })

  it('copies the link as its primary action', async () => {
    const writeText = vi.fn(async () => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const { wrapper } = setup(OpenInWechatScreen)
    await wrapper.get('[data-test=retry]').trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith(window.location.href)
    expect(wrapper.get('[data-test=retry]').text()).toBe('链接已复制')
  })
})
