import { beforeEach, describe, expect, it, vi } from 'vitest'
import { authApp } from '../../test/support/auth.js'
import { fetchSubscription } from '../api/wechat.js'
import { useSubscriptionStore } from './subscription.js'

vi.mock('../api/wechat.js', () => ({ fetchSubscription: vi.fn() }))

describe('useSubscriptionStore', () => {
  let login: ReturnType<typeof authApp>

  beforeEach(() => {
    vi.clearAllMocks()
    login = authApp(vi.fn())
  })

  it('load shares one request between concurrent callers', async () => {
    vi.mocked(fetchSubscription).mockResolvedValue({ subscribed: false, qrCodeUrl: 'q' })
    const store = useSubscriptionStore()
    const pending = Promise.all([store.load(), store.load()])
    expect(store.loading).toBe(true)
    await pending
    expect(fetchSubscription).toHaveBeenCalledTimes(1)
    expect(fetchSubscription).toHaveBeenCalledWith(login.auth.quietApi) // failures stay quiet
    expect(store.subscription).toEqual({ subscribed: false, qrCodeUrl: 'q' })
    expect(store.loading).toBe(false)
  })

  it('never throws: a failure is logged and leaves the status unknown', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    vi.mocked(fetchSubscription).mockRejectedValue(new Error('503 WECHAT_UNAVAILABLE'))
    const store = useSubscriptionStore()
    await expect(store.load()).resolves.toBeUndefined()
    expect(store.subscription).toBeNull()
    expect(warn).toHaveBeenCalledWith(
      '[wxauth] follower status unavailable:',
      '503 WECHAT_UNAVAILABLE',
    )
    warn.mockRestore()
  })
})
