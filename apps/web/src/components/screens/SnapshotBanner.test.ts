import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import type { Component } from 'vue'
import SnapshotBanner from './SnapshotBanner.vue'

function setup(component: Component, initialState: Record<string, unknown> = {}) {
  const wrapper = mount(component, {
    global: {
      plugins: [createTestingPinia({ createSpy: vi.fn, initialState: { auth: initialState } })],
    },
  })
  return { wrapper }
}

describe('SnapshotBanner', () => {
  it('explains that the full page must be opened, and offers no action', () => {
    const { wrapper } = setup(SnapshotBanner)
    expect(wrapper.attributes('data-test')).toBe('screen-snapshot')
    expect(wrapper.text()).toContain('使用完整服务')
    expect(wrapper.find('button').exists()).toBe(false)
  })
})
