import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { Component } from 'vue'
import { testingAuth, type AuthTestState } from '../../test/support/testing-auth.js'
import CancelledScreen from './CancelledScreen.vue'

function setup(component: Component, state: AuthTestState = {}) {
  const { plugins, store, fetch } = testingAuth(state)
  const wrapper = mount(component, { global: { plugins } })
  return { wrapper, store: store(), fetch }
}

describe('CancelledScreen', () => {
  it('explains the cancel; retry asks for the profile again, on the tap', async () => {
    const { wrapper, store } = setup(CancelledScreen)
    expect(wrapper.attributes('data-test')).toBe('screen-cancelled')
    expect(wrapper.text()).toContain('你取消了授权')
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(store.login).toHaveBeenCalledWith('snsapi_userinfo')
  })

  it('lets the user carry on without authorising', async () => {
    const { wrapper, store } = setup(CancelledScreen)
    await wrapper.get('[data-test=secondary]').trigger('click')
    expect(store.resume).toHaveBeenCalledOnce()
    expect(store.login).not.toHaveBeenCalled()
  })
})
