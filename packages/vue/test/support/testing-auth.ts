/**
 * An auth instance for component tests: a page without a code, a transport that must not be
 * called, and `createTestingPinia` with the store's state set and its actions stubbed.
 */
import { vi } from 'vitest'
import { createTestingPinia } from '@pinia/testing'
import type { SessionInfo, WechatUser } from '@wxauth/shared'
import { createWechatAuth } from '../../src/create-wechat-auth.js'
import type { AuthStatus } from '../../src/status.js'
import { fakeWindow } from './fake-window.js'

/** The store state a test starts from. */
export interface AuthTestState {
  status?: AuthStatus
  user?: WechatUser | null
  session?: SessionInfo | null
}

/** `global.plugins` for `mount()`, and the (stubbed) store to assert on. */
export function testingAuth(state: AuthTestState = {}) {
  const fetch = vi.fn(async () => {
    throw new Error('a component test made a request')
  })
  const auth = createWechatAuth({ window: fakeWindow('https://h.example/'), fetch })
  const pinia = createTestingPinia({ createSpy: vi.fn, initialState: { [auth.storeId]: state } })
  return { plugins: [pinia, auth], store: () => auth.useStore(pinia), fetch }
}
