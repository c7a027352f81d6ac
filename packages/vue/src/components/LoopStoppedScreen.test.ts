import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { Component } from 'vue'
import { testingAuth, type AuthTestState } from '../../test/support/testing-auth.js'
import LoopStoppedScreen from './LoopStoppedScreen.vue'

function setup(component: Component, state: AuthTestState = {}) {
  const { plugins, store, fetch } = testingAuth(state)
  const wrapper = mount(component, { global: { plugins } })
  return { wrapper, store: store(), fetch }
}

describe('LoopStoppedScreen', () => {
  it('stops the bouncing; the button logs in with a tap', async () => {
    const { wrapper, store } = setup(LoopStoppedScreen, {
      status: { kind: 'loop-stopped', reason: 'too-many-trips' },
    })
    expect(wrapper.attributes('data-test')).toBe('screen-loop-stopped')
    expect(wrapper.text()).toContain('已暂停自动登录')
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(store.login).toHaveBeenCalledWith()
  })
})
