import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import type { Component } from 'vue'
import { useAuthStore } from '../../stores/auth.js'
import CancelledScreen from './CancelledScreen.vue'

function setup(component: Component, initialState: Record<string, unknown> = {}) {
  const wrapper = mount(component, {
    global: {
      plugins: [createTestingPinia({ createSpy: vi.fn, initialState: { auth: initialState } })],
    },
  })
  return { wrapper, auth: useAuthStore() }
}

describe('CancelledScreen', () => {
  it('explains the cancel; retry asks for the profile again, on the tap', async () => {
    const { wrapper, auth } = setup(CancelledScreen)
    expect(wrapper.attributes('data-test')).toBe('screen-cancelled')
    expect(wrapper.text()).toContain('你取消了授权')
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(auth.startLogin).toHaveBeenCalledWith('snsapi_userinfo', { manual: true })
  })

  it('lets the user carry on without authorising', async () => {
    const { wrapper, auth } = setup(CancelledScreen)
    await wrapper.get('[data-test=secondary]').trigger('click')
    expect(auth.resume).toHaveBeenCalledOnce()
  })
})
