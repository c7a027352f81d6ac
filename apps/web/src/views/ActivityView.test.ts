import { afterEach, describe, expect, it, vi } from 'vitest'
import { RouterLinkStub, flushPromises, mount } from '@vue/test-utils'
import type {
  ActivityResponse,
  SessionInfo,
  SubscriptionResponse,
  WechatUser,
} from '@wxauth/shared'
import type { AuthStatus } from '@wxauth/vue'
import { testingAuth } from '../../test/support/auth.js'
import { useActivityStore } from '../stores/activity.js'
import { useSubscriptionStore } from '../stores/subscription.js'
import { setupWechatShare } from '../wechat/jssdk.js'
import type * as JssdkModule from '../wechat/jssdk.js'
import ActivityView from './ActivityView.vue'

// The share module is a lazy chunk; here it is a spy (its own behaviour is tested beside it).
vi.mock('../wechat/jssdk.js', async (importOriginal) => ({
  ...(await importOriginal<typeof JssdkModule>()),
  setupWechatShare: vi.fn(async () => true),
}))

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
    status?: AuthStatus
    subscription?: SubscriptionResponse | null
    subscriptionLoading?: boolean
  } = {},
) {
  const { plugins, store: auth } = testingAuth(
    {
      session: state.session ?? session,
      user: state.user ?? null,
      status: state.status ?? { kind: 'ready' },
    },
    {
      activity: { activity: { ...activity, ...state.activity } },
      subscription: {
        subscription: state.subscription ?? null,
        loading: state.subscriptionLoading ?? false,
      },
    },
  )
  const wrapper = mount(ActivityView, {
    global: { plugins, stubs: { RouterLink: RouterLinkStub } },
  })
  return { wrapper, store: useActivityStore(), following: useSubscriptionStore(), auth: auth() }
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

  it('join calls the store; a join says 报名成功 in a toast', async () => {
    const { wrapper, store } = setup()
    vi.mocked(store.join).mockResolvedValue(true)
    await wrapper.get('[data-test=join]').trigger('click')
    expect(store.join).toHaveBeenCalledOnce()
    await flushPromises()
    expect(wrapper.get('[data-test=toast]').text()).toBe('报名成功')
    expect(wrapper.get('[role=status]').text()).toBe('报名成功')
  })

  it('no toast when the join did not happen (upgrade screen, failure)', async () => {
    const { wrapper, store } = setup()
    vi.mocked(store.join).mockResolvedValue(false)
    await wrapper.get('[data-test=join]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-test=toast]').exists()).toBe(false)
  })

  it('completes a join started before the consent trip (the intent), with the toast', async () => {
    const { wrapper, store, auth } = setup({ activity: { joined: false } })
    vi.mocked(store.join).mockResolvedValue(true)
    expect(auth.onIntent).toHaveBeenCalledWith('join', expect.any(Function))
    const handler = vi.mocked(auth.onIntent).mock.calls[0]![1]
    await handler({ action: 'join', returnPath: '/', at: Date.now() })
    await flushPromises()
    expect(store.join).toHaveBeenCalledOnce()
    expect(wrapper.get('[data-test=toast]').text()).toBe('报名成功')
  })

  it('a snapshot visitor gets the banner at the top of the page', () => {
    const { wrapper } = setup({
      session: { ...session, snapshot: true },
      status: { kind: 'snapshot' } as const,
    })
    const main = wrapper.get('main').element
    expect(main.firstElementChild?.getAttribute('data-test')).toBe('screen-snapshot')
  })

  it('has the tab bar', () => {
    expect(setup().wrapper.find('[data-test=tab-profile]').exists()).toBe(true)
  })

  it('a joined activity shows the joined state instead of the button', () => {
    const { wrapper } = setup({ activity: { joined: true } })
    expect(wrapper.find('[data-test=join]').exists()).toBe(false)
    expect(wrapper.get('[data-test=joined]').text()).toBe('已报名')
  })

  it('a snapshot visitor sees the activity but no write button', () => {
    const { wrapper } = setup({
      session: { ...session, snapshot: true },
      status: { kind: 'snapshot' } as const,
    })
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

describe('ActivityView: the follow card', () => {
  const QR = 'https://h5.example.com/qr.jpg'

  it('shows "关注公众号" with the QR image to a non-follower with a stored profile', () => {
    const { wrapper } = setup({ user, subscription: { subscribed: false, qrCodeUrl: QR } })
    const card = wrapper.get('[data-test=follow-card]')
    expect(card.text()).toContain('关注公众号')
    expect(card.get('img').attributes('src')).toBe(QR)
  })

  it('sits after the activity, so its arrival moves nothing above it', () => {
    const { wrapper } = setup({ user, subscription: { subscribed: false, qrCodeUrl: QR } })
    const main = wrapper.get('main').element
    const children = [...main.children].map((el) => el.getAttribute('data-test') ?? el.className)
    const activityAt = children.indexOf('activity')
    expect(children[activityAt + 1]).toBe('follow-card')
    // after it only fixed-position things: the toast's live region and the tab bar
    expect(children.slice(activityAt + 2)).toEqual(['success-toast', 'weui-tabbar app-tabbar'])
  })

  it.each([
    ['a follower', { user, subscription: { subscribed: true } }],
    // nothing to scan or tap without the account's QR image (none configured on the BFF)
    ['a non-follower when there is no QR image', { user, subscription: { subscribed: false } }],
    ['while the status is loading', { user, subscription: null, subscriptionLoading: true }],
    ['when the status is unknown (failed)', { user, subscription: null }],
    ['a session without a stored profile', { user: null, subscription: { subscribed: false } }],
    [
      'a snapshot guest',
      {
        user,
        session: { ...session, snapshot: true },
        status: { kind: 'snapshot' } as const,
        subscription: { subscribed: false },
      },
    ],
  ])('is not shown for %s', (_, state) => {
    const { wrapper } = setup(state)
    expect(wrapper.find('[data-test=follow-card]').exists()).toBe(false)
  })

  it('asks for the follower status once there is a stored profile', () => {
    const { following } = setup({ user })
    expect(following.load).toHaveBeenCalledOnce()
  })

  it.each([
    ['without a stored profile', { user: null }],
    [
      'for a snapshot guest',
      { user, session: { ...session, snapshot: true }, status: { kind: 'snapshot' } as const },
    ],
    ['when already known', { user, subscription: { subscribed: true } }],
    ['while already loading', { user, subscriptionLoading: true }],
  ])('does not ask %s', (_, state) => {
    const { following } = setup(state)
    expect(following.load).not.toHaveBeenCalled()
  })
})

describe('ActivityView: JS-SDK sharing', () => {
  const WECHAT_UA =
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
    'Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) NetType/WIFI Language/zh_CN'
  afterEach(() => {
    vi.restoreAllMocks()
    vi.mocked(setupWechatShare).mockClear()
  })
  const inWechat = () => vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(WECHAT_UA)

  it('inside WeChat, sets the share card from the activity', async () => {
    inWechat()
    setup()
    await vi.waitFor(() => expect(setupWechatShare).toHaveBeenCalledOnce())
    expect(setupWechatShare).toHaveBeenCalledWith(
      { title: '周末读书会', desc: '一起读一本好书', imgUrl: 'https://example.com/cover.jpg' },
      {
        snapshot: false,
        entryUrl: window.location.href.split('#')[0],
        fetchConfig: expect.any(Function),
      },
    )
  })

  it('joining (same activity, new object) does not configure it again', async () => {
    inWechat()
    const { store } = setup()
    await vi.waitFor(() => expect(setupWechatShare).toHaveBeenCalledOnce())
    store.activity = { ...store.activity!, joined: true, participantCount: 13 }
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(setupWechatShare).toHaveBeenCalledOnce()
  })

  it('never for a snapshot guest, and never outside WeChat', async () => {
    inWechat()
    setup({ session: { ...session, snapshot: true }, status: { kind: 'snapshot' } })
    vi.restoreAllMocks()
    setup()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(setupWechatShare).not.toHaveBeenCalled()
  })
})
