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
    const { wrapper, store } = setup(CancelledScreen, { status: { kind: 'cancelled' } })
    expect(wrapper.attributes('data-test')).toBe('screen-cancelled')
    expect(wrapper.text()).toContain('你取消了授权')
    expect(wrapper.text()).not.toContain('报名')
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(store.login).toHaveBeenCalledWith('snsapi_userinfo', { intent: undefined })
  })

  it.each([
    ['join', '报名需要'],
    ['refresh', '刷新资料需要'],
  ])('a cancelled %s says what it was for; retry is a login for it again', async (intent, says) => {
    const { wrapper, store } = setup(CancelledScreen, { status: { kind: 'cancelled', intent } })
    expect(wrapper.text()).toContain(says)
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(store.login).toHaveBeenCalledWith('snsapi_userinfo', { intent })
  })

  it('lets the user carry on without authorising', async () => {
    const { wrapper, store } = setup(CancelledScreen)
    await wrapper.get('[data-test=secondary]').trigger('click')
    expect(store.resume).toHaveBeenCalledOnce()
    expect(store.login).not.toHaveBeenCalled()
  })
})
