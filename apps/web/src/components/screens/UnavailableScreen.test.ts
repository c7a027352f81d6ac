import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import type { Component } from 'vue'
import { useAuthStore } from '../../stores/auth.js'
import UnavailableScreen from './UnavailableScreen.vue'

function setup(component: Component, initialState: Record<string, unknown> = {}) {
  const wrapper = mount(component, {
    global: {
      plugins: [createTestingPinia({ createSpy: vi.fn, initialState: { auth: initialState } })],
    },
  })
  return { wrapper, auth: useAuthStore() }
}

describe('UnavailableScreen', () => {
  it.each([
    ['wechat', '微信服务暂时不可用'],
    ['network', '网络连接失败'],
    ['server', '服务暂时不可用'],
    ['busy', '操作太频繁了'],
  ])('says why (%s) and retries', async (reason, title) => {
    const { wrapper, auth } = setup(UnavailableScreen, { unavailableReason: reason })
    expect(wrapper.attributes('data-test')).toBe('screen-unavailable')
    expect(wrapper.get('.weui-msg__title').text()).toBe(title)
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(auth.resume).toHaveBeenCalledOnce()
  })
})
