/**
 * The metrics listener: a bare node:http server of its own (no coupling to the app's Fastify
 * instance, its hooks, limits or error handler) answering `GET /metrics` in Prometheus' text
 * format and 404 to anything else. It listens on a port and host of its own (loopback by default)
 * because metrics are for the operator's scraper, never for the internet.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'

/** A listening metrics server. */
export interface MetricsListener {
  /** `http://host:port/metrics` as bound (port 0 resolved). */
  url: string
  close(): Promise<void>
}

/** Where to listen. */
export interface MetricsAddress {
  port: number
  host: string
}

/** A scrape is one small GET: anything slower is a stuck or hostile client. */
const SCRAPE_TIMEOUT_MS = 10_000

function hostForUrl(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address
}

/** Start serving `registry` on `port`/`host`; rejects when the address is taken. */
export async function startMetricsListener(
  registry: Registry,
  { port, host }: MetricsAddress,
): Promise<MetricsListener> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0]
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      response.end('Not found: metrics are at /metrics\n')
      return
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
      response.end('Method not allowed\n')
      return
    }
    registry.metrics().then(
      (text) => {
        response.writeHead(200, {
          'content-type': registry.contentType,
          'cache-control': 'no-store',
        })
        response.end(request.method === 'HEAD' ? undefined : text)
      },
      () => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        response.end('Collecting the metrics failed\n')
      },
    )
  })
  server.requestTimeout = SCRAPE_TIMEOUT_MS
  server.headersTimeout = SCRAPE_TIMEOUT_MS

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  return {
    url: `http://${hostForUrl(address)}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        // A scraper keeps its connection alive between scrapes: do not wait for it to leave.
        server.closeAllConnections()
      }),
  }
}
