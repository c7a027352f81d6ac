/**
 * Everything one simulator instance holds, shared by its route plugins. One context per
 * `buildMockWechat()` call: two simulators in one process never share state.
 */
import { indexApps, type MockApp } from './apps.js'
import { Waits } from './faults.js'
import { Namespaces, type Namespace } from './namespaces.js'
import type { Settings } from './settings.js'
import { WechatState } from './state.js'

/**
 * The pieces `POST /__mock/reset` can reset one by one. `tokens`: codes, web and global tokens,
 * tickets; `rateLimits`: the authorize limit (10009) and the daily quota counters (45009).
 */
export const RESET_PARTS = [
  'clock',
  'consent',
  'rateLimits',
  'tokens',
  'faults',
  'latency',
  'calls',
] as const
export type ResetPart = (typeof RESET_PARTS)[number]

export interface ContextOptions {
  apps: readonly MockApp[]
  now?: () => number
  settings: Settings
}

export interface MockContext {
  readonly apps: ReadonlyMap<string, MockApp>
  readonly state: WechatState
  readonly waits: Waits
  readonly settings: Readonly<Settings>
  readonly namespaces: Namespaces
  /** Reset `parts` (default: all of them) of one namespace and of its apps' codes and tokens. */
  reset(namespace: Namespace, parts?: readonly ResetPart[]): void
}

/** A fresh context; throws if the apps are invalid. */
export function createContext(options: ContextOptions): MockContext {
  const apps = indexApps(options.apps)
  const { settings } = options
  const state = new WechatState({
    expiredCodeErrcode: settings.expiredCodeErrcode,
    quotas: settings.quotas,
  })
  const namespaces = new Namespaces(apps, {
    ...(options.now ? { now: options.now } : {}),
    authorizeRateLimitPerMinute: settings.authorizeRateLimitPerMinute,
  })
  return {
    apps,
    state,
    waits: new Waits(),
    settings,
    namespaces,
    reset(namespace, parts = RESET_PARTS) {
      const only = new Set(parts)
      if (only.has('tokens')) state.forget(namespace.appids)
      if (only.has('rateLimits')) {
        state.forgetQuotas(namespace.appids)
        namespace.rateLimiter.reset()
      }
      if (only.has('consent')) namespace.consent.reset()
      if (only.has('faults')) namespace.faults.clear()
      if (only.has('latency')) namespace.latency.clear()
      if (only.has('calls')) namespace.calls.clear()
      if (only.has('clock')) namespace.clock.reset()
    },
  }
}
