import { defineAsyncComponent } from 'vue'

/**
 * `@wxauth/vue`: WeChat Official Account web login (公众号网页授权) for a Vue 3 app, against a
 * server with the `@wxauth/fastify` routes (docs/architecture.md#the-login-flow).
 *
 *   const auth = createWechatAuth({ baseURL: '/api', scope: 'snsapi_base' }) // before createRouter
 *   createApp(App).use(createPinia()).use(auth).use(router).mount('#app')
 *   const { user, session, status, login, logout, refresh, api } = useWechatAuth()
 */
export {
  createWechatAuth,
  type WechatAuth,
  type WechatAuthContext,
  type WechatAuthOptions,
} from './create-wechat-auth.js'
export { useWechatAuth } from './use-wechat-auth.js'
export {
  initialStatus,
  screenOf,
  transition,
  waitsForTap,
  type AuthEvent,
  type AuthState,
  type AuthStatus,
  type AuthStatusKind,
  type BlockedBy,
  type ScreenKind,
} from './status.js'
export {
  actionForFailure,
  type ApiFailure,
  type AuthAction,
  type UnavailableReason,
} from './error-actions.js'
export { REQUEST_TIMEOUT_MS, type QuietApi, type WechatAuthApi } from './client.js'
export { MAX_AUTO_TRIPS, TRIPS_KEY, TRIP_WINDOW_MS, type LoopGuardVerdict } from './loop-guard.js'
export { ROUTE_PARAM, type RouterMode } from './return-to.js'
export type { AuthStore, IntentHandler, LoginOptions } from './store.js'
export { INTENT_KEY, INTENT_TTL_MS, type LoginIntent } from './intent.js'
export type { AuthWindow } from './window.js'

export { default as CancelledScreen } from './components/CancelledScreen.vue'
export { default as LoopStoppedScreen } from './components/LoopStoppedScreen.vue'
export { default as ScreenMessage } from './components/ScreenMessage.vue'
export { default as SignedOutScreen } from './components/SignedOutScreen.vue'
export { default as SnapshotBanner } from './components/SnapshotBanner.vue'
export { default as UnavailableScreen } from './components/UnavailableScreen.vue'
export { default as UpgradeScreen } from './components/UpgradeScreen.vue'
export { default as WechatAuthScreen } from './components/WechatAuthScreen.vue'

/**
 * The open-in-WeChat screen (a QR code of the page), loaded on demand with its QR library so it
 * never weighs on the initial bundle.
 */
export const OpenInWechatScreen = /* @__PURE__ */ defineAsyncComponent(
  () => import('./components/OpenInWechatScreen.vue'),
)
