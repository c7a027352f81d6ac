import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { Component } from 'vue'
import { testingAuth, type AuthTestState } from '../../test/support/testing-auth.js'
import UnavailableScreen from './UnavailableScreen.vue'

function setup(component: Component, state: AuthTestState = {}) {
  const { plugins, store, fetch } = testingAuth(state)
  const wrapper = mount(component, { global: { plugins } })
  return { wrapper, store: store(), fetch }
}

describe('UnavailableScreen', () => {
  it.each([
    ['wechat', '微信服务暂时不可用'],
    ['network', '网络连接失败'],
    ['server', '服务暂时不可用'],
    ['busy', '操作太频繁了'],
  ] as const)('says why (%s) and retries', async (reason, title) => {
    const { wrapper, store } = setup(UnavailableScreen, {
      status: { kind: 'unavailable', reason },
    })
    expect(wrapper.attributes('data-test')).toBe('screen-unavailable')
    expect(wrapper.get('.weui-msg__title').text()).toBe(title)
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(store.resume).toHaveBeenCalledOnce()
  })
})
