import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import type { Component } from 'vue'
import { useAuthStore } from '../../stores/auth.js'
import LoopStoppedScreen from './LoopStoppedScreen.vue'

function setup(component: Component, initialState: Record<string, unknown> = {}) {
  const wrapper = mount(component, {
    global: {
      plugins: [createTestingPinia({ createSpy: vi.fn, initialState: { auth: initialState } })],
    },
  })
  return { wrapper, auth: useAuthStore() }
}

describe('LoopStoppedScreen', () => {
  it('stops the bouncing; the button logs in manually', async () => {
    const { wrapper, auth } = setup(LoopStoppedScreen)
    expect(wrapper.attributes('data-test')).toBe('screen-loop-stopped')
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(auth.startLogin).toHaveBeenCalledWith(undefined, { manual: true })
  })
})
