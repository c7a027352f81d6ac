import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { ActivityResponse, WechatUser } from '@wxauth/shared'
import { authApp } from '../../test/support/auth.js'
import { fetchActivity, joinActivity } from '../api/activity.js'
import { useActivityStore } from './activity.js'

vi.mock('../api/activity.js', () => ({ fetchActivity: vi.fn(), joinActivity: vi.fn() }))

const activity: ActivityResponse = {
  id: 1,
  title: '周末读书会',
  description: '一起读一本好书',
  coverUrl: '',
  startsAt: '2020-01-01T00:00:00.000Z',
  endsAt: '2099-01-01T00:00:00.000Z',
  joined: false,
  participantCount: 1,
  participants: [{ nickname: '小明', headimgurl: '' }],
}

describe('useActivityStore', () => {
  let login: ReturnType<typeof authApp>

  beforeEach(() => {
    vi.clearAllMocks()
    login = authApp(vi.fn())
  })

  it('load shares one request between concurrent callers', async () => {
    vi.mocked(fetchActivity).mockResolvedValue(activity)
    const store = useActivityStore()
    await Promise.all([store.load(), store.load()])
    expect(fetchActivity).toHaveBeenCalledTimes(1)
    expect(fetchActivity).toHaveBeenCalledWith(login.auth.api) // the login's client
    expect(store.activity?.title).toBe('周末读书会')
    expect(store.loading).toBe(false)
  })

  it('load never throws; a failure is shown in place', async () => {
    vi.mocked(fetchActivity).mockRejectedValue(new Error('500'))
    const store = useActivityStore()
    await expect(store.load()).resolves.toBeUndefined()
    expect(store.failed).toBe(true)
  })

  it('join marks the activity joined and lists me first', async () => {
    vi.mocked(fetchActivity).mockResolvedValue(activity)
    vi.mocked(joinActivity).mockResolvedValue({ joined: true, participantCount: 2 })
    login.store().user = {
      id: 2,
      openid: 'o1',
      nickname: '测试用户',
      headimgurl: 'https://thirdwx.qlogo.cn/mmopen/x/132',
      sex: 0,
      province: '',
      city: '',
      country: '',
      privilege: [],
      createdAt: '2025-01-01T00:00:00.000Z',
    }
    const store = useActivityStore()
    await store.load()
    await expect(store.join()).resolves.toBe(true)
    expect(store.activity?.joined).toBe(true)
    expect(store.activity?.participantCount).toBe(2)
    expect(store.activity?.participants[0]?.nickname).toBe('测试用户')
    expect(joinActivity).toHaveBeenCalledWith(login.auth.api)
  })

  it('without a stored profile, asks for it for the intent "join" (no request)', async () => {
    vi.mocked(fetchActivity).mockResolvedValue(activity)
    login.store().session = {
      scope: 'snsapi_base',
      snapshot: false,
      expiresAt: '2030-01-01T00:00:00Z',
    }
    login.store().status = { kind: 'ready' }
    const store = useActivityStore()
    await store.load()
    await expect(store.join()).resolves.toBe(false)
    expect(joinActivity).not.toHaveBeenCalled()
    expect(login.store().status).toEqual({ kind: 'upgrade', intent: 'join' })
    expect(store.activity).toEqual(activity)
  })

  it('a refused join changes nothing; a 403 for the profile asks for it for "join"', async () => {
    vi.mocked(fetchActivity).mockResolvedValue(activity)
    login.store().user = { nickname: '旧资料' } as WechatUser
    login.store().session = {
      scope: 'snsapi_base',
      snapshot: false,
      expiresAt: '2030-01-01T00:00:00Z',
    }
    vi.mocked(joinActivity).mockImplementation(async () => {
      login.store().handleFailure({ type: 'upgrade' }) // the client, on 403 SCOPE_UPGRADE_REQUIRED
      throw new Error('403')
    })
    const store = useActivityStore()
    await store.load()
    await expect(store.join()).resolves.toBe(false)
    expect(store.activity).toEqual(activity)
    expect(store.joining).toBe(false)
    expect(login.store().status).toEqual({ kind: 'upgrade', intent: 'join' })
  })

  it('a snapshot guest never joins', async () => {
    vi.mocked(fetchActivity).mockResolvedValue(activity)
    login.store().session = {
      scope: 'snsapi_base',
      snapshot: true,
      expiresAt: '2030-01-01T00:00:00Z',
    }
    const store = useActivityStore()
    await store.load()
    await expect(store.join()).resolves.toBe(false)
    expect(joinActivity).not.toHaveBeenCalled()
  })

  it('does not join twice', async () => {
    vi.mocked(fetchActivity).mockResolvedValue({ ...activity, joined: true })
    const store = useActivityStore()
    await store.load()
    await store.join()
    expect(joinActivity).not.toHaveBeenCalled()
  })
})
