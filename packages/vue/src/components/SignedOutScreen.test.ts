import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { Component } from 'vue'
import { testingAuth, type AuthTestState } from '../../test/support/testing-auth.js'
import SignedOutScreen from './SignedOutScreen.vue'

function setup(component: Component, state: AuthTestState = {}) {
  const { plugins, store, fetch } = testingAuth(state)
  const wrapper = mount(component, { global: { plugins } })
  return { wrapper, store: store(), fetch }
}

describe('SignedOutScreen', () => {
  it('logs in again only on a tap', async () => {
    const { wrapper, store } = setup(SignedOutScreen, { status: { kind: 'signed-out' } })
    expect(wrapper.attributes('data-test')).toBe('screen-signed-out')
    expect(store.login).not.toHaveBeenCalled()
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(store.login).toHaveBeenCalledWith()
  })
})
