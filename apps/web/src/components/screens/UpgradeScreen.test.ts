import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import type { Component } from 'vue'
import { useAuthStore } from '../../stores/auth.js'
import UpgradeScreen from './UpgradeScreen.vue'

function setup(component: Component, initialState: Record<string, unknown> = {}) {
  const wrapper = mount(component, {
    global: {
      plugins: [createTestingPinia({ createSpy: vi.fn, initialState: { auth: initialState } })],
    },
  })
  return { wrapper, auth: useAuthStore() }
}

describe('UpgradeScreen', () => {
  it('asks for snsapi_userinfo only when tapped', async () => {
    const { wrapper, auth } = setup(UpgradeScreen)
    expect(wrapper.attributes('data-test')).toBe('screen-upgrade')
    expect(auth.startLogin).not.toHaveBeenCalled()
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(auth.startLogin).toHaveBeenCalledWith('snsapi_userinfo', { manual: true })
  })

  it('"not now" goes back to the page', async () => {
    const { wrapper, auth } = setup(UpgradeScreen)
    await wrapper.get('[data-test=secondary]').trigger('click')
    expect(auth.resume).toHaveBeenCalledOnce()
  })
})
