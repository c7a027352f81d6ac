/**
 * Build-time options, read once. vite.config.ts rejects unknown values, so the fallbacks here only
 * apply when an option is unset.
 */
import type { Scope } from '@wxauth/shared'
import type { RouterMode } from '@wxauth/vue'

/** `VITE_ROUTER_MODE=hash` selects `createWebHashHistory`; history mode is the default. */
export const ROUTER_MODE: RouterMode =
  import.meta.env.VITE_ROUTER_MODE === 'hash' ? 'hash' : 'history'

/**
 * The scope of the *automatic* login. `snsapi_base` is silent and never triggers WeChat's snapshot
 * mode (快照页); `snsapi_userinfo` is asked for only after a tap.
 * @see https://developers.weixin.qq.com/community/minihome/doc/000c2c34068880629ced91a2f56001
 */
export const LOGIN_SCOPE: Scope =
  import.meta.env.VITE_LOGIN_SCOPE === 'snsapi_userinfo' ? 'snsapi_userinfo' : 'snsapi_base'

/** The router's base path (Vite's `base`, `/` unless configured). */
export const BASE_URL: string = import.meta.env.BASE_URL
