/**
 * The login in tests. Components: a `@wxauth/vue` instance on the test page (no code, a transport
 * that fails the test if called) and `createTestingPinia` with the login's and the other stores'
 * state set, every action stubbed. Stores and guards: a real instance in an app.
 */
import { vi } from 'vitest'
import { createApp, defineComponent } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { createTestingPinia } from '@pinia/testing'
import type { SessionInfo, WechatUser } from '@wxauth/shared'
import { createWechatAuth, type AuthStatus, type WechatAuthOptions } from '@wxauth/vue'

/** The login state a test starts from. */
export interface AuthState {
  status?: AuthStatus
  user?: WechatUser | null
  session?: SessionInfo | null
}

/** `global.plugins` for `mount()`, and the login's (stubbed) store to assert on. */
export function testingAuth(auth: AuthState = {}, stores: Record<string, unknown> = {}) {
  const instance = createWechatAuth({
    fetch: vi.fn(async () => {
      throw new Error('a component test made a request')
    }),
  })
  const pinia = createTestingPinia({
    createSpy: vi.fn,
    initialState: { [instance.storeId]: auth, ...stores },
  })
  return { plugins: [pinia, instance], store: () => instance.useStore(pinia) }
}

/**
 * A real login in an app that is never mounted, for stores and guards: its requests go to
 * `fetch`; pinia is active, so `useXxxStore()` runs in the app's injection context.
 */
export function authApp(fetch: typeof globalThis.fetch, options: WechatAuthOptions = {}) {
  const auth = createWechatAuth({ fetch, ...options })
  const pinia = createPinia()
  const app = createApp(Blank).use(pinia).use(auth)
  setActivePinia(pinia)
  return { app, auth, store: () => auth.useStore(pinia) }
}

/** The root of {@link authApp}'s app: it is never rendered. */
const Blank = defineComponent({ render: () => null })
