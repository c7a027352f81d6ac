/** What the plugin's route modules are given: the resolved settings and the assembled services. */
import type { WechatClient } from '@wxauth/wechat'
import type { AuthHooks } from './http/auth-hooks.js'
import type { CookieJar } from './http/cookies.js'
import type { RateLimits } from './http/rate-limits.js'
import type { Login } from './login/index.js'
import type { Metrics } from './metrics/index.js'
import type { Settings } from './options.js'
import type { Stores } from './stores/types.js'

export interface PluginContext {
  settings: Settings
  wechat: WechatClient
  stores: Stores
  login: Login
  jar: CookieJar
  hooks: AuthHooks
  metrics: Metrics
  limits: RateLimits
}
