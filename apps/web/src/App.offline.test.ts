import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { testingAuth } from '../test/support/auth.js'
import App from './App.vue'

// The network is gone: the screens' chunk cannot be fetched (what a browser's import() rejects with).
vi.mock('./components/AuthScreen.vue', () => {
  throw new TypeError('Failed to fetch dynamically imported module: /assets/AuthScreen.js')
})

describe('App shell offline', () => {
  it('shows its own offline screen when the screens cannot load, and 重试 resumes', async () => {
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/', component: { render: () => 'activity page' } }],
    })
    await router.push('/')
    const auth = testingAuth({ session: null, status: { kind: 'unavailable', reason: 'network' } })
    const wrapper = mount(App, { global: { plugins: [router, ...auth.plugins] } })
    await flushPromises()

    await vi.waitFor(() => expect(wrapper.find('[data-test=screen-offline]').exists()).toBe(true))
    expect(wrapper.find('h1').text()).toBe('网络连接失败')
    expect(wrapper.text()).not.toContain('activity page')
    await wrapper.get('[data-test=retry]').trigger('click')
    expect(auth.store().resume).toHaveBeenCalledTimes(1)
    // gone until a screen is due again (and the chunk is tried again then)
    expect(wrapper.find('[data-test=screen-offline]').exists()).toBe(false)
  })
})
