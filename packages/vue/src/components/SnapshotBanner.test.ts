import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { Component } from 'vue'
import { testingAuth, type AuthTestState } from '../../test/support/testing-auth.js'
import SnapshotBanner from './SnapshotBanner.vue'

function setup(component: Component, state: AuthTestState = {}) {
  const { plugins, store, fetch } = testingAuth(state)
  const wrapper = mount(component, { global: { plugins } })
  return { wrapper, store: store(), fetch }
}

describe('SnapshotBanner', () => {
  it('explains that the full page must be opened, and offers no action', () => {
    const { wrapper } = setup(SnapshotBanner)
    expect(wrapper.attributes('data-test')).toBe('screen-snapshot')
    expect(wrapper.text()).toContain('「使用完整服务」') // WeChat's own words for its button
    expect(wrapper.find('button').exists()).toBe(false)
  })
})
