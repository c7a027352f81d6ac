/**
 * `pnpm dev:mock`: Vite alone, in mode `mock`, where the mock BFF of `@wxauth/vue/mock` answers the
 * API (vite.config.ts, mock/index.ts). No BFF, no simulator, no database, no port but Vite's:
 * 5173, or `WEB_PORT`. Prints the URL and the scenarios (the plugin adds them under Vite's URLs).
 *
 * Run by package.json with `node --conditions=source --import tsx`, so the plugin and the mock are
 * loaded from the workspace's TypeScript sources, as everywhere else in development (no build).
 *
 * Options: `--force` bundles the dependencies again, as `vite --force` does; `--cache-dir DIR` keeps
 * that bundle in DIR instead of node_modules/.vite (a forced bundle first deletes the cache, from
 * under any other dev server sharing it: the tests use their own).
 */
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createServer } from 'vite'
import { quietStop } from './quiet-stop.mjs'

const WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

const { values: args } = parseArgs({
  options: { force: { type: 'boolean' }, 'cache-dir': { type: 'string' } },
})

const raw = process.env.WEB_PORT
const port = raw === undefined || raw === '' ? 5173 : Number(raw)
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`WEB_PORT must be a port number (1-65535), not ${JSON.stringify(raw)}`)
  process.exit(1)
}

// Ctrl+C exits 0 even in the first seconds, while Vite is still starting (quiet-stop.mjs).
let server = null
const customLogger = quietStop(() => server)
server = await createServer({
  root: WEB_ROOT,
  configFile: join(WEB_ROOT, 'vite.config.ts'),
  mode: 'mock',
  server: { port },
  customLogger,
  ...(args.force ? { optimizeDeps: { force: true } } : {}),
  ...(args['cache-dir'] ? { cacheDir: resolve(args['cache-dir']) } : {}),
})
await server.listen()
server.printUrls()
server.bindCLIShortcuts({ print: true })
