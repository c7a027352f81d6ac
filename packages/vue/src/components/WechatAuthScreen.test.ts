import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { h } from 'vue'
import { testingAuth } from '../../test/support/testing-auth.js'
import type { AuthStatus } from '../status.js'
import WechatAuthScreen from './WechatAuthScreen.vue'

vi.mock('qrcode', () => ({ toDataURL: vi.fn(async () => 'data:image/png;base64,AAAA') }))

function setup(status: AuthStatus, slots: Record<string, () => unknown> = {}) {
  const { plugins } = testingAuth({ status })
  return mount(WechatAuthScreen, { global: { plugins }, slots })
}

describe('WechatAuthScreen', () => {
  it.each([
    [{ kind: 'cancelled' }, 'screen-cancelled'],
    [{ kind: 'upgrade' }, 'screen-upgrade'],
    [{ kind: 'unavailable', reason: 'wechat' }, 'screen-unavailable'],
    [{ kind: 'loop-stopped', reason: 'back-forward' }, 'screen-loop-stopped'],
    [{ kind: 'signed-out' }, 'screen-signed-out'],
    [{ kind: 'open-in-wechat' }, 'screen-open-in-wechat'],
  ] as const)('status %o shows its screen', async (status, hook) => {
    const wrapper = setup(status)
    // open-in-wechat is an async chunk: give its import a moment
    await vi.waitFor(() => expect(wrapper.find(`[data-test=${hook}]`).exists()).toBe(true))
    expect(wrapper.findAll('[data-test^=screen-]')).toHaveLength(1)
  })

  it.each([
    { kind: 'idle' },
    { kind: 'loading' },
    { kind: 'ready' },
    { kind: 'refreshing' },
    { kind: 'snapshot' },
    { kind: 'redirecting', scope: 'snsapi_base' },
  ] as const)('status %o shows no screen', (status) => {
    expect(setup(status).find('[data-test^=screen-]').exists()).toBe(false)
  })

  it('a slot named after a status replaces that screen only', () => {
    const mine = () => h('p', { 'data-test': 'my-cancelled' }, '下次再说')
    expect(setup({ kind: 'cancelled' }, { cancelled: mine }).text()).toBe('下次再说')
    const other = setup({ kind: 'signed-out' }, { cancelled: mine })
    expect(other.find('[data-test=screen-signed-out]').exists()).toBe(true)
    expect(other.find('[data-test=my-cancelled]').exists()).toBe(false)
  })
})
