import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { AuthStatus } from '@wxauth/vue'
import { testingAuth, type AuthState } from '../test/support/auth.js'
import App from './App.vue'

vi.mock('qrcode', () => ({ toDataURL: vi.fn(async () => 'data:image/png;base64,AAAA') }))

const session = {
  scope: 'snsapi_base',
  snapshot: false,
  expiresAt: '2030-01-01T00:00:00.000Z',
} as const

async function setup(auth: AuthState) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'activity', component: { render: () => 'activity page' } },
      { path: '/me', name: 'profile', component: { render: () => 'profile page' } },
    ],
  })
  await router.push('/')
  const wrapper = mount(App, {
    global: {
      plugins: [router, ...testingAuth(auth).plugins],
    },
  })
  await flushPromises()
  return wrapper
}

describe('App shell', () => {
  it('renders the page once there is a session (the page brings its tab bar)', async () => {
    const wrapper = await setup({ session, status: { kind: 'ready' } })
    expect(wrapper.text()).toContain('activity page')
    expect(wrapper.find('.page-skeleton').exists()).toBe(false)
  })

  it('shows a fixed-size skeleton, not an empty page, while the session loads', async () => {
    const wrapper = await setup({ session: null, status: { kind: 'loading' } })
    expect(wrapper.find('.page-skeleton').exists()).toBe(true)
    expect(wrapper.text()).not.toContain('activity page')
  })

  it.each([
    [{ kind: 'cancelled' }, 'screen-cancelled'],
    [{ kind: 'upgrade' }, 'screen-upgrade'],
    [{ kind: 'unavailable', reason: 'wechat' }, 'screen-unavailable'],
    [{ kind: 'loop-stopped', reason: 'too-many-trips' }, 'screen-loop-stopped'],
    [{ kind: 'signed-out' }, 'screen-signed-out'],
    [{ kind: 'open-in-wechat' }, 'screen-open-in-wechat'],
  ] as Array<[AuthStatus, string]>)(
    'status %o shows its screen instead of the page',
    async (status, hook) => {
      const wrapper = await setup({ session, status })
      // open-in-wechat is an async chunk: give its import a moment
      await vi.waitFor(() => expect(wrapper.find(`[data-test=${hook}]`).exists()).toBe(true))
      expect(wrapper.text()).not.toContain('activity page')
    },
  )

  it('leaves the snapshot banner to the page, so it never lands above the skeleton', async () => {
    const wrapper = await setup({
      session: { ...session, snapshot: true },
      status: { kind: 'snapshot' },
    })
    expect(wrapper.text()).toContain('activity page')
    expect(wrapper.find('[data-test=screen-snapshot]').exists()).toBe(false)
  })

  it('shows progress while leaving for WeChat', async () => {
    const wrapper = await setup({
      session: null,
      status: { kind: 'redirecting', scope: 'snsapi_base' },
    })
    // a chunk of its own: the page is leaving anyway
    await vi.waitFor(() => expect(wrapper.find('[data-test=redirecting]').exists()).toBe(true))
  })
})
