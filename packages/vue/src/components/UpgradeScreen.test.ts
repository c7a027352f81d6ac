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
    const { wrapper, store } = setup(UpgradeScreen, { status: { kind: 'upgrade' } })
    expect(wrapper.attributes('data-test')).toBe('screen-upgrade')
    expect(store.login).not.toHaveBeenCalled()
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(store.login).toHaveBeenCalledWith('snsapi_userinfo', { intent: undefined })
  })

  it('a join: speaks of 报名, and the login carries the intent', async () => {
    const { wrapper, store } = setup(UpgradeScreen, { status: { kind: 'upgrade', intent: 'join' } })
    expect(wrapper.text()).toContain('报名')
    expect(wrapper.text()).not.toContain('刷新')
    expect(wrapper.get('[data-test=retry]').text()).toBe('授权并报名')
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(store.login).toHaveBeenCalledWith('snsapi_userinfo', { intent: 'join' })
  })

  it('a profile refresh: speaks of 刷新资料, never of 报名', async () => {
    const { wrapper, store } = setup(UpgradeScreen, {
      status: { kind: 'upgrade', intent: 'refresh' },
    })
    expect(wrapper.text()).toContain('刷新资料')
    expect(wrapper.text()).not.toContain('报名')
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(store.login).toHaveBeenCalledWith('snsapi_userinfo', { intent: 'refresh' })
  })

  it.each([undefined, 'checkout'])('intent %s: the general wording, no 报名', (intent) => {
    const status =
      intent === undefined ? { kind: 'upgrade' as const } : { kind: 'upgrade' as const, intent }
    const { wrapper } = setup(UpgradeScreen, { status })
    expect(wrapper.text()).toContain('需要你的头像和昵称')
    expect(wrapper.text()).not.toContain('报名')
    expect(wrapper.get('[data-test=retry]').text()).toBe('授权头像昵称')
  })

  it('"not now" goes back to the page', async () => {
    const { wrapper, store } = setup(UpgradeScreen)
    await wrapper.get('[data-test=secondary]').trigger('click')
    expect(store.resume).toHaveBeenCalledOnce()
  })
})
