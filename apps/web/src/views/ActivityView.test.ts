import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createTestingPinia } from '@pinia/testing'
import type { ActivityResponse, SessionInfo, WechatUser } from '@wxauth/shared'
import { useActivityStore } from '../stores/activity.js'
import ActivityView from './ActivityView.vue'

const activity: ActivityResponse = {
  id: 1,
  title: '周末读书会',
  description: '一起读一本好书',
  coverUrl: 'https://example.com/cover.jpg',
  startsAt: '2020-01-01T00:00:00.000Z',
  endsAt: '2099-01-01T00:00:00.000Z',
  joined: false,
  participantCount: 12,
  participants: [
    { nickname: '小明', headimgurl: 'https://thirdwx.qlogo.cn/mmopen/a/132' },
    { nickname: '无头像', headimgurl: '' },
  ],
}
const session: SessionInfo = {
  scope: 'snsapi_userinfo',
  snapshot: false,
  expiresAt: '2030-01-01T00:00:00.000Z',
}
const user = { nickname: '测试用户😀', headimgurl: '' } as WechatUser

function setup(
  state: {
    activity?: Partial<ActivityResponse>
    session?: SessionInfo
    user?: WechatUser | null
    status?: string
  } = {},
) {
  const wrapper = mount(ActivityView, {
    global: {
      plugins: [
        createTestingPinia({
          createSpy: vi.fn,
          initialState: {
            auth: {
              session: state.session ?? session,
              user: state.user ?? null,
              status: state.status ?? 'ready',
            },
            activity: { activity: { ...activity, ...state.activity } },
          },
        }),
      ],
    },
  })
  return { wrapper, store: useActivityStore() }
}

describe('ActivityView', () => {
  it('shows the cover, title, description, time window and participants', () => {
    const { wrapper } = setup()
    expect(wrapper.get('h1').text()).toBe('周末读书会')
    expect(wrapper.text()).toContain('一起读一本好书')
    expect(wrapper.text()).toContain('进行中')
    expect(wrapper.get('[data-test=participant-count]').text()).toBe('12')
    const cover = wrapper.get('.activity__cover img')
    expect(cover.attributes('width')).toBe('750')
    expect(cover.attributes('alt')).toBe('周末读书会')
    const avatars = wrapper.findAll('.participants img')
    expect(avatars).toHaveLength(2)
    expect(avatars[0]?.attributes('src')).toBe('https://thirdwx.qlogo.cn/mmopen/a/96')
    expect(avatars[0]?.attributes('alt')).toBe('小明的头像')
    expect(avatars[1]?.classes()).toContain('user-avatar_fallback')
  })

  it('greets the signed-in user by nickname', () => {
    const { wrapper } = setup({ user })
    expect(wrapper.get('[data-test=nickname]').text()).toBe('测试用户😀')
  })

  it('shows no nickname hook when the profile is unknown (base session)', () => {
    const { wrapper } = setup({ user: null })
    expect(wrapper.find('[data-test=nickname]').exists()).toBe(false)
  })

  it('join calls the store', async () => {
    const { wrapper, store } = setup()
    await wrapper.get('[data-test=join]').trigger('click')
    expect(store.join).toHaveBeenCalledOnce()
  })

  it('a joined activity shows the joined state instead of the button', () => {
    const { wrapper } = setup({ activity: { joined: true } })
    expect(wrapper.find('[data-test=join]').exists()).toBe(false)
    expect(wrapper.get('[data-test=joined]').text()).toBe('已报名')
  })

  it('a snapshot visitor sees the activity but no write button', () => {
    const { wrapper } = setup({ session: { ...session, snapshot: true }, status: 'snapshot' })
    expect(wrapper.get('h1').text()).toBe('周末读书会')
    expect(wrapper.find('[data-test=join]').exists()).toBe(false)
    expect(wrapper.find('button').exists()).toBe(false)
  })

  it('an ended activity cannot be joined', () => {
    const { wrapper } = setup({ activity: { endsAt: '2020-06-01T00:00:00.000Z' } })
    expect(wrapper.get('[data-test=join]').attributes('disabled')).toBeDefined()
    expect(wrapper.text()).toContain('已结束')
  })
})
