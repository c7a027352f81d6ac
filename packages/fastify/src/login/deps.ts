/** What the login's services are built from (plugin.ts assembles it once). */
import type { WechatClient } from '@wxauth/wechat'
import type { Metrics } from '../metrics/index.js'
import type { Settings } from '../options.js'
import type { Coordination } from '../stores/coordination.js'
import type { Repositories } from '../stores/repositories.js'
import type { TokenVault } from './token-vault.js'

export interface LoginDeps {
  settings: Settings
  wechat: WechatClient
  repositories: Repositories
  coordination: Coordination
  vault: TokenVault
  now: () => number
  /** Counters of the login funnel (no-ops without metrics). */
  metrics: Metrics
}
