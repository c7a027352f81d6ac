import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import type { Component } from 'vue'
import { useAuthStore } from '../../stores/auth.js'
import SignedOutScreen from './SignedOutScreen.vue'

function setup(component: Component, initialState: Record<string, unknown> = {}) {
  const wrapper = mount(component, {
    global: {
      plugins: [createTestingPinia({ createSpy: vi.fn, initialState: { auth: initialState } })],
    },
  })
  return { wrapper, auth: useAuthStore() }
}

describe('SignedOutScreen', () => {
  it('logs in again only on a tap', async () => {
    const { wrapper, auth } = setup(SignedOutScreen)
    expect(wrapper.attributes('data-test')).toBe('screen-signed-out')
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(auth.startLogin).toHaveBeenCalledWith(undefined, { manual: true })
  })
})
