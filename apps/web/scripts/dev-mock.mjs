/**
 * `pnpm dev:mock`: Vite alone, in mode `mock`, where the mock BFF of `@wxauth/vue/mock` answers the
 * API (vite.config.ts, mock/index.ts). No BFF, no simulator, no database, no port but Vite's:
 * 5173, or `WEB_PORT`. Prints the URL and the scenarios (the plugin adds them under Vite's URLs).
 *
 * Run by package.json with `node --conditions=source --import tsx`, so the plugin and the mock are
 * loaded from the workspace's TypeScript sources, as everywhere else in development (no build).
 */
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'

const WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

const raw = process.env.WEB_PORT
const port = raw === undefined || raw === '' ? 5173 : Number(raw)
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`WEB_PORT must be a port number (1-65535), not ${JSON.stringify(raw)}`)
  process.exit(1)
}

const server = await createServer({
  root: WEB_ROOT,
  configFile: join(WEB_ROOT, 'vite.config.ts'),
  mode: 'mock',
  server: { port },
})
await server.listen()
server.printUrls()
server.bindCLIShortcuts({ print: true })

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0))
  })
}
