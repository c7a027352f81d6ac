import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { Component } from 'vue'
import { testingAuth, type AuthTestState } from '../../test/support/testing-auth.js'
import UpgradeScreen from './UpgradeScreen.vue'

function setup(component: Component, state: AuthTestState = {}) {
  const { plugins, store, fetch } = testingAuth(state)
  const wrapper = mount(component, { global: { plugins } })
  return { wrapper, store: store(), fetch }
}

describe('UpgradeScreen', () => {
  it('asks for snsapi_userinfo only when tapped', async () => {
    const { wrapper, store } = setup(UpgradeScreen)
    expect(wrapper.attributes('data-test')).toBe('screen-upgrade')
    expect(store.login).not.toHaveBeenCalled()
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(store.login).toHaveBeenCalledWith('snsapi_userinfo')
  })

  it('"not now" goes back to the page', async () => {
    const { wrapper, store } = setup(UpgradeScreen)
    await wrapper.get('[data-test=secondary]').trigger('click')
    expect(store.resume).toHaveBeenCalledOnce()
  })
})
