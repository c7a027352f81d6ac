/** `app.wechatAuth`: what the plugin offers the app it is registered on. */
import type { Kysely } from 'kysely'
import type { WechatClient } from '@wxauth/wechat'
import type { AuthHook } from './http/auth-hooks.js'
import type { WechatAuthMetrics } from './metrics/index.js'
import type { Database } from './stores/sql/database.js'
import type { StoreChecks, Stores, StoresMode } from './stores/types.js'

export interface WechatAuth {
  /**
   * preHandler: a session cookie, or `X-WeChat-Code` + `X-WeChat-State` exchanged once; sets
   * `request.wechatSession` and `request.wechatUser`; otherwise 401 AUTH_REQUIRED. Add it once to
   * a scope (`api.addHook('preHandler', api.wechatAuth.requireUser)`) and every route registered
   * in that scope is protected.
   */
  requireUser: AuthHook
  /**
   * requireUser, plus a stored profile (403 SCOPE_UPGRADE_REQUIRED: log in with snsapi_userinfo)
   * and no snapshot-page guest (403 SNAPSHOT_USER).
   */
  requireProfile: AuthHook
  /**
   * The Kysely instance over the plugin's database. Its type knows the plugin's tables (`users`,
   * `sessions`); give it the app's own with `db.withTables<AppTables>()`.
   */
  db: Kysely<Database>
  /** Each store's status, for a readiness probe; never throws. */
  readiness(): Promise<StoreChecks>
  /** `embedded` (SQLite), `postgres` (one instance) or `distributed` (PostgreSQL + Redis). */
  mode: StoresMode
  /** The WeChat API client (global token, tickets, follower info), sharing the plugin's token cache. */
  wechat: WechatClient
  /** Advanced: the stores themselves (repositories and coordination). */
  stores: Stores
  /**
   * With the `metrics` option: the plugin's prom-client registry (register the app's own metrics on
   * it to have them served too) and the listener's URL once the app is ready. Null without.
   */
  metrics: WechatAuthMetrics | null
}
