/**
 * The plugin's counters, behind one small interface the login calls (`metrics.exchange('ok')`), so
 * instrumented modules never touch prom-client, and a plugin without metrics pays nothing
 * (`NO_METRICS`). Each plugin instance has a registry of its own (never prom-client's global
 * one), so two apps in one process, as in the tests, never collide; prom-client's default
 * process metrics are registered once per registry.
 */
import type { ErrorCode, Scope } from '@wxauth/shared'
import type { GlobalTokenEvent, GlobalTokenMode, WechatCallEvent } from '@wxauth/wechat'
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { METRICS, WECHAT_DURATION_BUCKETS, type MetricDefinition } from './definitions.js'
import { endpointLabel, errcodeLabel, kindLabel, resultLabel } from './labels.js'

/** Why a code was refused with 403 STATE_MISMATCH. */
export type StateMismatchReason =
  /** The browser's state cookie is missing or holds another state (before any exchange). */
  | 'cookie'
  /** The code's exchange (in flight or cached) was made with another state: a code replayed elsewhere. */
  | 'code_bound'
  /** The state already started an exchange of another code (one exchange per state). */
  | 'state_spent'

/** What the login reports; every method is cheap and never throws. */
export interface Metrics {
  /** An authorize URL was issued. */
  authorizeUrl(scope: Scope): void
  /** One real exchange ended in `result` (counted once per exchange, never per joined request). */
  exchange(result: 'ok' | ErrorCode): void
  /** A request was served by an exchange in flight or a cached outcome. */
  codeReuse(): void
  stateMismatch(reason: StateMismatchReason): void
  /** A login created a new session (not an in-place upgrade). */
  sessionCreated(scope: Scope, snapshot: boolean): void
  /** One attempt at one WeChat endpoint (the client's `onCall`). */
  wechatCall(event: WechatCallEvent): void
  /** The client's `onGlobalToken`. */
  globalToken(event: GlobalTokenEvent): void
  /** A request was answered 429; `route` is the route's registered pattern. */
  rateLimited(route: string): void
}

/** The metrics of a plugin without a metrics listener: nothing is counted. */
export const NO_METRICS: Metrics = {
  authorizeUrl() {},
  exchange() {},
  codeReuse() {},
  stateMismatch() {},
  sessionCreated() {},
  wechatCall() {},
  globalToken() {},
  rateLimited() {},
}

/**
 * Outcomes a real exchange can end in, given a zero series up front: an alert on
 * `increase(…{result="wechat_config_error"}[5m]) > 0` must see the 0 → 1 step of the first one.
 */
const EXPECTED_RESULTS: ReadonlyArray<'ok' | ErrorCode> = [
  'ok',
  'CODE_INVALID',
  'CODE_USED',
  'WECHAT_UNAVAILABLE',
  'WECHAT_CONFIG_ERROR',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
]

function counter(registry: Registry, definition: MetricDefinition): Counter {
  return new Counter({
    name: definition.name,
    help: definition.help,
    labelNames: definition.labelNames,
    registers: [registry],
  })
}

/** A registry with the plugin's metrics (and the process's), and the `Metrics` that feed it. */
export interface MetricsRegistry {
  registry: Registry
  metrics: Metrics
}

/** Create one plugin instance's registry and counters. */
export function createMetricsRegistry(globalTokenMode: GlobalTokenMode): MetricsRegistry {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  const authorizeUrls = counter(registry, METRICS.authorizeUrls)
  const exchanges = counter(registry, METRICS.codeExchanges)
  const reuses = counter(registry, METRICS.codeReuses)
  const stateMismatches = counter(registry, METRICS.stateMismatches)
  const sessions = counter(registry, METRICS.sessionsCreated)
  const snapshotVisitors = counter(registry, METRICS.snapshotVisitors)
  const wechatRequests = counter(registry, METRICS.wechatRequests)
  const wechatDuration = new Histogram({
    name: METRICS.wechatDuration.name,
    help: METRICS.wechatDuration.help,
    labelNames: METRICS.wechatDuration.labelNames,
    buckets: [...WECHAT_DURATION_BUCKETS],
    registers: [registry],
  })
  const tokenFetches = counter(registry, METRICS.globalTokenFetches)
  const tokenInvalidations = counter(registry, METRICS.globalTokenInvalidations)
  const rateLimited = counter(registry, METRICS.rateLimited)

  // Zero series for the label values known up front, so rate() and increase() see the first event.
  for (const scope of ['snsapi_base', 'snsapi_userinfo'] as const) {
    authorizeUrls.inc({ scope }, 0)
    for (const snapshot of ['false', 'true']) sessions.inc({ scope, snapshot }, 0)
  }
  for (const result of EXPECTED_RESULTS) exchanges.inc({ result: resultLabel(result) }, 0)
  for (const reason of ['cookie', 'code_bound', 'state_spent']) stateMismatches.inc({ reason }, 0)
  for (const result of ['ok', 'config', 'busy'])
    tokenFetches.inc({ mode: globalTokenMode, result }, 0)

  const metrics: Metrics = {
    authorizeUrl: (scope) => authorizeUrls.inc({ scope }),
    exchange: (result) => exchanges.inc({ result: resultLabel(result) }),
    codeReuse: () => reuses.inc(),
    stateMismatch: (reason) => stateMismatches.inc({ reason }),
    sessionCreated(scope, snapshot) {
      sessions.inc({ scope, snapshot: String(snapshot) })
      if (snapshot) snapshotVisitors.inc()
    },
    wechatCall(event) {
      const endpoint = endpointLabel(event.endpoint)
      wechatRequests.inc({ endpoint, errcode: errcodeLabel(event) })
      wechatDuration.observe({ endpoint }, event.durationMs / 1000)
    },
    globalToken(event) {
      // A dead token reported by N concurrent callers is dropped once: that once is counted.
      if (event.type === 'invalidate') {
        if (event.deleted) tokenInvalidations.inc()
      } else tokenFetches.inc({ mode: event.mode, result: event.ok ? 'ok' : kindLabel(event.kind) })
    },
    rateLimited: (route) => rateLimited.inc({ route }),
  }
  return { registry, metrics }
}
