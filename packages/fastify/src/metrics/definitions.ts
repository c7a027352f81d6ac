/**
 * Every metric the plugin exports: name, type, help and label names, in one table that the
 * registry is built from and that tests check the dashboards and alert rules against
 * (docs/operating.md). Names and labels are a contract: dashboards and alerts depend on them.
 * Every label takes its values from a bounded set (see labels.ts): never an openid, a code, a
 * token or a URL.
 */

/** One metric of the table. */
export interface MetricDefinition {
  name: string
  type: 'counter' | 'histogram'
  help: string
  labelNames: readonly string[]
}

/**
 * Seconds. WeChat usually answers within 50–300 ms from mainland China; the client's default
 * timeout is 5 s per attempt, so a timed-out attempt lands in the 5 s or 10 s bucket.
 */
export const WECHAT_DURATION_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const

/** The plugin's metrics, by the name the code uses for each. */
export const METRICS = {
  authorizeUrls: {
    name: 'wxauth_authorize_urls_total',
    type: 'counter',
    help: 'Authorize URLs issued (the first step of every login), by requested scope',
    labelNames: ['scope'],
  },
  codeExchanges: {
    name: 'wxauth_code_exchanges_total',
    type: 'counter',
    help: 'Real code exchanges with WeChat (sns/oauth2/access_token and what follows), by outcome: ok or the error code the BFF answered (lower case)',
    labelNames: ['result'],
  },
  codeReuses: {
    name: 'wxauth_code_reuses_total',
    type: 'counter',
    help: 'Requests with a code served by an exchange in flight or by a cached outcome, without an exchange of their own',
    labelNames: [],
  },
  stateMismatches: {
    name: 'wxauth_state_mismatches_total',
    type: 'counter',
    help: 'Codes refused with 403 STATE_MISMATCH: reason cookie (no or another state cookie), code_bound (the code belongs to another state) or state_spent (the state already started another exchange)',
    labelNames: ['reason'],
  },
  sessionsCreated: {
    name: 'wxauth_sessions_created_total',
    type: 'counter',
    help: 'New sessions created by a login (in-place upgrades of a session are not counted), by scope and snapshot-guest flag',
    labelNames: ['scope', 'snapshot'],
  },
  snapshotVisitors: {
    name: 'wxauth_snapshot_visitors_total',
    type: 'counter',
    help: 'Snapshot-page (快照页) guest sessions created',
    labelNames: [],
  },
  wechatRequests: {
    name: 'wxauth_wechat_requests_total',
    type: 'counter',
    help: 'Calls to the WeChat API (every attempt, retries included), by endpoint and errcode: 0, the errcode, timeout, network, http_5xx, http_4xx, http_3xx or garbage',
    labelNames: ['endpoint', 'errcode'],
  },
  wechatDuration: {
    name: 'wxauth_wechat_request_duration_seconds',
    type: 'histogram',
    help: 'How long each call to the WeChat API took (every attempt), by endpoint',
    labelNames: ['endpoint'],
  },
  globalTokenFetches: {
    name: 'wxauth_global_token_fetches_total',
    type: 'counter',
    help: 'Fetches of the account-wide access token (cache misses only; retries are one fetch), by mode (stable, classic) and result (ok or the failure kind)',
    labelNames: ['mode', 'result'],
  },
  globalTokenInvalidations: {
    name: 'wxauth_global_token_invalidations_total',
    type: 'counter',
    help: 'Cached global access tokens dropped because a call made with one was answered 40001/42001/40014 (dead or superseded)',
    labelNames: [],
  },
  rateLimited: {
    name: 'wxauth_rate_limited_total',
    type: 'counter',
    help: 'Requests answered 429 RATE_LIMITED, by route pattern',
    labelNames: ['route'],
  },
} as const satisfies Record<string, MetricDefinition>

/** The series names a metric is scraped as (a histogram's `_bucket`, `_sum` and `_count`). */
export function seriesNames(definition: MetricDefinition): string[] {
  if (definition.type !== 'histogram') return [definition.name]
  return ['_bucket', '_sum', '_count'].map((suffix) => `${definition.name}${suffix}`)
}
