/**
 * The SPA, unchanged, on the mock BFF of `pnpm dev:mock` (the same handlers, under `msw/node`):
 * the real `createWechatAuth()`, router, stores, views and screens, with no fetch stub of its own.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { TRIPS_KEY, createWechatAuth } from '@wxauth/vue'
import { EXPIRED_SESSION_LIFE_MS, MOCK_AUTHORIZE_PATH } from '@wxauth/vue/mock'
import App from '../src/App.vue'
import { createAppRouter } from '../src/router/index.js'
import { useMockBff } from '../test/support/mock-bff.js'

const bff = useMockBff()

/** Boot the app on the current address, as main.ts does; `location.assign` is recorded. */
async function boot() {
  const trips: string[] = []
  vi.spyOn(window.location, 'assign').mockImplementation((url) => void trips.push(String(url)))
  const auth = createWechatAuth({ baseURL: '/api' })
  const router = createAppRouter()
  const wrapper = mount(App, { global: { plugins: [createPinia(), auth, router] } })
  await router.isReady()
  await flushPromises()
  return { wrapper, trips, store: () => auth.useStore() }
}

/** The scope of a trip to the mock authorize page. */
function scopeOf(trip: string): string | null {
  const url = new URL(trip)
  return url.pathname === MOCK_AUTHORIZE_PATH ? url.searchParams.get('scope') : null
}

describe('the SPA on the mock BFF', () => {
  beforeEach(() => {
    vi.restoreAllMocks()
    sessionStorage.removeItem(TRIPS_KEY)
    window.history.replaceState(null, '', '/')
  })

  it('new: without a session the page leaves for the (mock) authorize page, silently', async () => {
    const { trips } = await boot()
    await vi.waitFor(() => expect(trips).toHaveLength(1))
    expect(scopeOf(trips[0]!)).toBe('snsapi_base')
  })

  it('new: back with a code, a base session; joining asks for the profile', async () => {
    await bff.land('new')
    const { wrapper, trips } = await boot()
    await vi.waitFor(() => expect(wrapper.find('[data-test=activity]').exists()).toBe(true))
    expect(window.location.pathname + window.location.search).toBe('/') // code and state cleaned
    expect(wrapper.find('[data-test=nickname]').exists()).toBe(false)

    await wrapper.get('[data-test=join]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-test=screen-upgrade]').exists()).toBe(true))
    await wrapper.get('[data-test=retry]').trigger('click')
    await vi.waitFor(() => expect(trips).toHaveLength(1))
    expect(scopeOf(trips[0]!)).toBe('snsapi_userinfo')
  })

  it('returning: the stored profile, and joining lists me first', async () => {
    await bff.land('returning', { persona: 'emoji' })
    const { wrapper } = await boot()
    await vi.waitFor(() => expect(wrapper.find('[data-test=nickname]').exists()).toBe(true))
    expect(wrapper.get('[data-test=nickname]').text()).toBe('🌸樱花酱🍡 Sakura ✨')
    expect(wrapper.get('[data-test=participant-count]').text()).toBe('3')

    await wrapper.get('[data-test=join]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-test=joined]').exists()).toBe(true))
    expect(wrapper.get('[data-test=participant-count]').text()).toBe('4')
    const avatars = wrapper.findAll('.participants__item img')
    expect(avatars[0]?.attributes('alt')).toBe('🌸樱花酱🍡 Sakura ✨的头像')
  })

  it.each([
    ['alice', true],
    ['follower', false],
  ] as const)('returning %s: the follow card shows: %s', async (persona, shown) => {
    await bff.land('returning', { persona })
    const { wrapper } = await boot()
    await vi.waitFor(() => expect(wrapper.find('[data-test=nickname]').exists()).toBe(true))
    await flushPromises()
    expect(wrapper.find('[data-test=follow-card]').exists()).toBe(shown)
  })

  it('snapshot: the read-only page with the banner, no join button', async () => {
    await bff.land('snapshot')
    const { wrapper } = await boot()
    await vi.waitFor(() => expect(wrapper.find('[data-test=screen-snapshot]').exists()).toBe(true))
    expect(wrapper.find('[data-test=activity]').exists()).toBe(true)
    expect(wrapper.find('[data-test=join]').exists()).toBe(false)
  })

  it('unavailable: the retry screen, and the code is kept for the retry', async () => {
    await bff.land('unavailable')
    const { wrapper, trips, store } = await boot()
    await vi.waitFor(() =>
      expect(wrapper.find('[data-test=screen-unavailable]').exists()).toBe(true),
    )
    expect(store().status).toEqual({ kind: 'unavailable', reason: 'wechat' })
    bff.mock.update((data) => {
      data.scenario = 'new' // WeChat is back
    })
    await wrapper.get('[data-test=retry]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-test=activity]').exists()).toBe(true))
    expect(trips).toEqual([])
  })

  it('expired: signed in at once; after the session ends, the next tap logs in again', async () => {
    let now = Date.now()
    vi.spyOn(Date, 'now').mockImplementation(() => now)
    bff.mock.useScenario('expired')
    const { wrapper, trips } = await boot()
    await vi.waitFor(() => expect(wrapper.find('[data-test=nickname]').exists()).toBe(true))
    expect(trips).toEqual([])

    now += EXPIRED_SESSION_LIFE_MS
    await wrapper.get('[data-test=join]').trigger('click')
    await vi.waitFor(() => expect(trips).toHaveLength(1))
    expect(scopeOf(trips[0]!)).toBe('snsapi_base')
  })
})
