/**
 * The demo's mock BFF for `pnpm dev:mock` and for tests: `@wxauth/vue/mock` answers the login's
 * routes (with the plugin options apps/bff turns on: `me/subscription`, `jssdk/config`), and the
 * demo adds its business routes (activity.ts). The Vite plugin (vite.config.ts, mode `mock`) loads
 * this module in the browser; tests pass it to `createWechatAuthMock` under `setupServer`.
 */
import type { WechatAuthMockOptions } from '@wxauth/vue/mock'
import { activityHandlers } from './activity.js'
import { DEMO_ACCOUNT_QR_URL } from './demo-account-qr.js'

const options = {
  baseURL: '/api',
  subscription: true,
  jssdk: true,
  accountQrUrl: DEMO_ACCOUNT_QR_URL,
  handlers: (mock) => activityHandlers(mock),
} satisfies WechatAuthMockOptions

export default options
