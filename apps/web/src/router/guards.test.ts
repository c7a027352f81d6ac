import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { fetchMe } from '../api/me.js'
import { useAuthStore } from '../stores/auth.js'
import { installAuthGuard } from './guards.js'

vi.mock('../api/me.js', () => ({ fetchMe: vi.fn(), refreshMe: vi.fn() }))
vi.mock('../api/client.js', () => ({ setApiFailureListener: vi.fn() }))

const Page = { template: '<p>page</p>' }

function makeRouter(preload = vi.fn(async () => {})) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'activity', component: Page, meta: { preload } },
      { path: '/me', name: 'profile', component: Page },
    ],
  })
  installAuthGuard(router)
  return { router, preload }
}

describe('auth guard', () => {
  beforeEach(() => {
    vi.clearAllMocks()
    setActivePinia(createPinia())
  })

  it('waits for the session and the route data, fetched in parallel', async () => {
    let answer!: () => void
    vi.mocked(fetchMe).mockReturnValue(
      new Promise((resolve) => {
        answer = () =>
          resolve({
            user: null,
            session: { scope: 'snsapi_base', snapshot: false, expiresAt: '2030-01-01T00:00:00Z' },
          })
      }),
    )
    const { router, preload } = makeRouter()
    const navigation = router.push('/')
    await vi.waitFor(() => expect(preload).toHaveBeenCalledTimes(1))
    expect(fetchMe).toHaveBeenCalledTimes(1) // both requests are in flight together
    expect(router.currentRoute.value.name).toBeUndefined()
    answer()
    await navigation
    expect(router.currentRoute.value.name).toBe('activity')
    expect(useAuthStore().status).toBe('ready')
  })

  it('remembers the target route as the login return path', async () => {
    vi.mocked(fetchMe).mockRejectedValue(new Error('401'))
    const { router } = makeRouter()
    await router.push('/me?tab=1')
    expect(useAuthStore().returnPath).toBe('/me?tab=1')
  })

  it('loads nothing while a screen waits for a tap', async () => {
    const auth = useAuthStore()
    auth.start({ cancelled: true, outsideWechat: false })
    const { router, preload } = makeRouter()
    await router.push('/')
    expect(fetchMe).not.toHaveBeenCalled()
    expect(preload).not.toHaveBeenCalled()
    expect(router.currentRoute.value.name).toBe('activity')
  })
})
