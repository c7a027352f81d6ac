import { describe, expect, it, vi } from 'vitest'
import { RouterLinkStub, flushPromises, mount } from '@vue/test-utils'
import type { ActivityResponse, SessionInfo, WechatUser } from '@wxauth/shared'
import { testingAuth, type AuthState } from '../../test/support/auth.js'
import ProfileView from './ProfileView.vue'

const user: WechatUser = {
  id: 1,
  openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
  unionid: 'oLDegwLanAyzhdUfaBqh6Dt4MqtY',
  nickname: '测试用户',
  headimgurl: 'https://thirdwx.qlogo.cn/mmopen/vi_32/abc/46',
  sex: 0,
  province: '',
  city: '',
  country: '',
  privilege: [],
  createdAt: '2025-01-01T00:00:00.000Z',
}
const session: SessionInfo = {
  scope: 'snsapi_userinfo',
  snapshot: false,
  expiresAt: '2030-01-01T00:00:00.000Z',
}
const activity = { id: 1, title: '60 天线上打卡挑战', joined: true } as ActivityResponse

function setup(state: AuthState, stores: Record<string, unknown> = {}) {
  const { plugins, store } = testingAuth(state, stores)
  const wrapper = mount(ProfileView, {
    global: { plugins, stubs: { RouterLink: RouterLinkStub } },
    attachTo: document.body, // focus moves only in a document
  })
  return { wrapper, auth: store() }
}

/** Developer words a user should never read on this page (unless in the dev panel). */
const DEVELOPER_WORDS = ['snsapi', 'UnionID', 'unionid', '授权范围', '微信用户', 'openid']

describe('ProfileView', () => {
  it('shows a sharp avatar and the nickname as the heading', () => {
    const { wrapper } = setup({ user, session, status: { kind: 'ready' } })
    const avatar = wrapper.get('.profile-card img')
    expect(avatar.attributes('src')).toBe('https://thirdwx.qlogo.cn/mmopen/vi_32/abc/132')
    expect(avatar.attributes('width')).toBe('66')
    expect(avatar.attributes('height')).toBe('66')
    expect(avatar.attributes('alt')).toBe('测试用户的头像')
    expect(wrapper.get('h1[data-test=nickname]').text()).toBe('测试用户')
  })

  it('speaks to the user: no scope, unionid or "微信用户" outside the development panel', async () => {
    const { wrapper } = setup({ user, session, status: { kind: 'ready' } })
    await flushPromises()
    const panel = wrapper.find('[data-test=session-facts]')
    const outside = wrapper.text().replace(panel.exists() ? panel.text() : '', '')
    for (const word of DEVELOPER_WORDS) expect(outside).not.toContain(word)
  })

  it('the session facts are a panel of development builds only', async () => {
    const { wrapper } = setup({ user, session })
    await vi.waitFor(() => expect(wrapper.find('[data-test=session-facts]').exists()).toBe(true))
    expect(import.meta.env.DEV).toBe(true) // tests run a development build
    expect(wrapper.get('[data-test=scope]').text()).toBe('snsapi_userinfo')
    expect(wrapper.get('[data-test=unionid]').text()).toBe(user.unionid)
  })

  it('shows the sign-up, linking to the activity', () => {
    const { wrapper } = setup({ user, session }, { activity: { activity } })
    const row = wrapper.get('[data-test=my-activity]')
    expect(row.text()).toContain('60 天线上打卡挑战')
    expect(row.text()).toContain('已报名')
    expect(wrapper.getComponent(RouterLinkStub).props('to')).toEqual({ name: 'activity' })
  })

  it('刷新资料 refreshes, and says 资料已更新 when it did', async () => {
    const { wrapper, auth } = setup({ user, session })
    vi.mocked(auth.refresh).mockResolvedValue(true)
    await wrapper.get('[data-test=refresh-profile]').trigger('click')
    expect(auth.refresh).toHaveBeenCalledOnce()
    await flushPromises()
    expect(wrapper.get('[data-test=toast]').text()).toBe('资料已更新')
  })

  it('completes a refresh started before the consent trip (the intent)', async () => {
    const { wrapper, auth } = setup({ user, session })
    vi.mocked(auth.refresh).mockResolvedValue(true)
    expect(auth.onIntent).toHaveBeenCalledWith('refresh', expect.any(Function))
    await vi
      .mocked(auth.onIntent)
      .mock.calls[0]![1]({ action: 'refresh', returnPath: '/me', at: 0 })
    await flushPromises()
    expect(auth.refresh).toHaveBeenCalledOnce()
    expect(wrapper.get('[data-test=toast]').text()).toBe('资料已更新')
  })

  it('退出登录 asks first, in a WeUI dialog; 取消 keeps the session', async () => {
    const { wrapper, auth } = setup({ user, session })
    const logout = wrapper.get<HTMLButtonElement>('[data-test=logout]')
    logout.element.focus()
    await logout.trigger('click')
    expect(auth.logout).not.toHaveBeenCalled()
    const dialog = wrapper.get('[role=alertdialog]')
    expect(dialog.attributes('aria-modal')).toBe('true')
    const title = dialog.get(`#${dialog.attributes('aria-labelledby')}`)
    expect(title.text()).toBe('退出登录？')
    expect(document.activeElement).toBe(wrapper.get('[data-test=dialog-cancel]').element)
    await wrapper.get('[data-test=dialog-cancel]').trigger('click')
    expect(wrapper.find('[role=alertdialog]').exists()).toBe(false)
    expect(auth.logout).not.toHaveBeenCalled()
    expect(document.activeElement).toBe(logout.element) // focus back where it was
    wrapper.unmount()
  })

  it('退出 in the dialog logs out', async () => {
    const { wrapper, auth } = setup({ user, session })
    await wrapper.get('[data-test=logout]').trigger('click')
    await wrapper.get('[data-test=dialog-confirm]').trigger('click')
    expect(auth.logout).toHaveBeenCalledOnce()
    expect(wrapper.find('[role=alertdialog]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('Esc closes the dialog; Tab stays inside it', async () => {
    const { wrapper, auth } = setup({ user, session })
    await wrapper.get('[data-test=logout]').trigger('click')
    const cancel = wrapper.get('[data-test=dialog-cancel]')
    const confirm = wrapper.get('[data-test=dialog-confirm]')
    ;(confirm.element as HTMLElement).focus()
    await confirm.trigger('keydown', { key: 'Tab' })
    expect(document.activeElement).toBe(cancel.element)
    await cancel.trigger('keydown', { key: 'Tab', shiftKey: true })
    expect(document.activeElement).toBe(confirm.element)
    await confirm.trigger('keydown', { key: 'Escape' })
    expect(wrapper.find('[role=alertdialog]').exists()).toBe(false)
    expect(auth.logout).not.toHaveBeenCalled()
    wrapper.unmount()
  })

  it('a base session without a profile offers "授权头像昵称", on a tap', async () => {
    const { wrapper, auth } = setup({ user: null, session: { ...session, scope: 'snsapi_base' } })
    expect(wrapper.find('[data-test=nickname]').exists()).toBe(false)
    expect(wrapper.get('.profile-card img').classes()).toContain('user-avatar_fallback')
    expect(auth.login).not.toHaveBeenCalled()
    await wrapper.get('[data-test=authorize-profile]').trigger('click')
    expect(auth.login).toHaveBeenCalledWith('snsapi_userinfo')
  })

  it('keeps the same card geometry with or without a profile (no layout shift)', () => {
    const withUser = setup({ user, session }).wrapper.get('.profile-card img')
    const without = setup({ user: null, session }).wrapper.get('.profile-card img')
    expect(without.attributes('width')).toBe(withUser.attributes('width'))
    expect(without.attributes('height')).toBe(withUser.attributes('height'))
  })

  it('a snapshot guest reads the page: no authorise, refresh or logout, and the banner', () => {
    const { wrapper } = setup({
      user: null,
      session: { ...session, snapshot: true },
      status: { kind: 'snapshot' },
    })
    expect(wrapper.find('[data-test=authorize-profile]').exists()).toBe(false)
    expect(wrapper.find('[data-test=refresh-profile]').exists()).toBe(false)
    expect(wrapper.find('[data-test=logout]').exists()).toBe(false)
    expect(wrapper.find('[data-test=screen-snapshot]').exists()).toBe(true)
  })
})
