import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { SessionInfo, WechatUser } from '@wxauth/shared'
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

function setup(state: AuthState) {
  const { plugins, store } = testingAuth(state)
  const wrapper = mount(ProfileView, { global: { plugins } })
  return { wrapper, auth: store() }
}

describe('ProfileView', () => {
  it('shows a sharp avatar, the nickname, the scope and the unionid fact', () => {
    const { wrapper } = setup({ user, session, status: { kind: 'ready' } })
    const avatar = wrapper.get('.profile-card img')
    expect(avatar.attributes('src')).toBe('https://thirdwx.qlogo.cn/mmopen/vi_32/abc/132')
    expect(avatar.attributes('width')).toBe('66')
    expect(avatar.attributes('height')).toBe('66')
    expect(avatar.attributes('alt')).toBe('测试用户的头像')
    expect(wrapper.get('[data-test=nickname]').text()).toBe('测试用户')
    expect(wrapper.get('[data-test=scope]').text()).toContain('snsapi_userinfo')
    expect(wrapper.get('[data-test=unionid]').text()).toBe('已获取')
  })

  it('says when the unionid is not known', () => {
    const { wrapper } = setup({ user: { ...user, unionid: undefined }, session })
    expect(wrapper.get('[data-test=unionid]').text()).toBe('未获取')
  })

  it('refresh and logout call the store', async () => {
    const { wrapper, auth } = setup({ user, session })
    await wrapper.get('[data-test=refresh-profile]').trigger('click')
    expect(auth.refresh).toHaveBeenCalledOnce()
    await wrapper.get('[data-test=logout]').trigger('click')
    expect(auth.logout).toHaveBeenCalledOnce()
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

  it('a snapshot guest gets no authorise or refresh button', () => {
    const { wrapper } = setup({ user: null, session: { ...session, snapshot: true } })
    expect(wrapper.find('[data-test=authorize-profile]').exists()).toBe(false)
    expect(wrapper.find('[data-test=refresh-profile]').exists()).toBe(false)
  })
})
