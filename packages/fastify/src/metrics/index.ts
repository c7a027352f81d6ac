/**
 * Metrics for the plugin (docs/operating.md): when `metrics: { port }` is set, a registry of this
 * plugin instance's own, its listener (started when the app is ready, closed with it), and the one
 * place 429s are counted: an onResponse hook that sees every answer of the app, so any limiter (the
 * plugin's, one added later, or the app's own) is counted by route without code of its own.
 * Without the option: nothing is registered and the login's counters are no-ops.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Registry } from 'prom-client'
import type { Settings } from '../options.js'
import { startMetricsListener, type MetricsListener } from './listener.js'
import { NO_METRICS, createMetricsRegistry, type Metrics } from './metrics.js'

export type { Metrics, StateMismatchReason } from './metrics.js'
export { NO_METRICS } from './metrics.js'

/** `app.wechatAuth.metrics`: the registry (add the app's own metrics to it) and where it is served. */
export interface WechatAuthMetrics {
  /** This plugin instance's prom-client registry, default process metrics included. */
  readonly registry: Registry
  /** `http://host:port/metrics` once the app is ready (port 0 resolved); null before. */
  readonly url: string | null
}

/** The route label of a request: its registered pattern (bounded), never the URL as sent. */
function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched'
}

/** Set up the metrics the settings ask for on `app` (the plugin's, unencapsulated, scope). */
export function installMetrics(
  app: FastifyInstance,
  settings: Settings,
): { metrics: Metrics; decorator: WechatAuthMetrics | null } {
  const address = settings.metrics
  if (address === null) return { metrics: NO_METRICS, decorator: null }
  const { registry, metrics } = createMetricsRegistry(settings.globalToken)
  let listener: MetricsListener | null = null

  app.addHook('onReady', async () => {
    listener = await startMetricsListener(registry, address)
    app.log.info({ url: listener.url }, 'metrics listening')
  })
  app.addHook('onClose', async () => {
    await listener?.close()
    listener = null
  })
  app.addHook('onResponse', (request, reply, done) => {
    if (reply.statusCode === 429) metrics.rateLimited(routeLabel(request))
    done()
  })

  return {
    metrics,
    decorator: {
      registry,
      get url() {
        return listener?.url ?? null
      },
    },
  }
}
