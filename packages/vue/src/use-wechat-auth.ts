/**
 * `useWechatAuth()`: the login of the app it runs in, as `useRouter()` is its router. Works where
 * `inject()` does: a component's `setup`, a router guard, a pinia setup store, `app.runWithContext`.
 */
import { hasInjectionContext, inject } from 'vue'
import { wechatAuthKey, type WechatAuthContext } from './create-wechat-auth.js'
import { DEV } from './dev.js'

/** The signed-in user, the session, the status, the actions and the `api` of this app. */
export function useWechatAuth(): WechatAuthContext {
  const instance = hasInjectionContext() ? inject(wechatAuthKey, null) : null
  const context = instance?.context() ?? null
  if (context === null) {
    throw new Error(
      DEV
        ? '[@wxauth/vue] useWechatAuth() found no auth: call app.use(createWechatAuth(…)) and use ' +
            'it in a component setup, a router guard or a pinia store (or pass the instance around ' +
            'and use its api)'
        : '[@wxauth/vue] no auth',
    )
  }
  return context
}
