/**
 * Production serving of the built SPA from STATIC_DIR:
 * - hashed assets (`/assets/*`) with a year-long immutable cache, everything else `no-cache`;
 * - history-mode fallback: an unknown extension-less GET path gets index.html (WeChat's
 *   `MP_verify_*.txt` files are the plugin's, `mpVerifyDir`).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'

/** Prefixes the SPA fallback never answers: they belong to the API. */
const API_PREFIXES = ['/api', '/docs', '/healthz', '/readyz']
const IMMUTABLE = 'public, max-age=31536000, immutable'

export interface StaticPluginOptions {
  config: Config
}

export default fp<StaticPluginOptions>(
  async (app, { config }) => {
    const { staticDir } = config

    if (staticDir === null || !existsSync(join(staticDir, 'index.html'))) {
      if (staticDir !== null)
        app.log.warn({ staticDir }, 'no index.html in STATIC_DIR; not serving the SPA')
      return
    }
    const indexHtml = readFileSync(join(staticDir, 'index.html'))

    await app.register(fastifyStatic, {
      root: staticDir,
      // The build does not change while the process runs: one route per file, no per-request globbing.
      wildcard: false,
      index: false,
      cacheControl: false,
      setHeaders(reply, path) {
        reply.header(
          'cache-control',
          /[\\/]assets[\\/]/.test(path.slice(staticDir.length)) ? IMMUTABLE : 'no-cache',
        )
      },
    })

    const sendIndex = (reply: FastifyReply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        // The landing URL carries `?code=`: keep it out of Referer headers to third parties.
        .header('referrer-policy', 'no-referrer')
        .send(indexHtml)

    app.get('/', { schema: { hide: true } }, async (_request, reply) => sendIndex(reply))
    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/'
      const last = path.slice(path.lastIndexOf('/') + 1)
      if (API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`)) || last.includes('.')) {
        return reply.callNotFound()
      }
      return sendIndex(reply)
    })
  },
  { name: 'wxauth-static' },
)
