/**
 * `@wxauth/vue/mock/vite`: the Vite plugin of `pnpm dev:mock`. Only in `vite --mode mock` (the
 * dev server; never a build), it
 * - runs the mock entry before the app's: `index.html`'s module scripts are loaded by a module
 *   that first starts the mock BFF (`startWechatAuthMock`, a service worker with MSW), so the app
 *   itself has no mock branch;
 * - serves MSW's `mockServiceWorker.js` from the `msw` package (never copied into `public/`, so
 *   it cannot end up in a build);
 * - serves the mock WeChat authorize page (a service worker answers requests, not top-level
 *   navigations, so the page comes from here) and draws it with the mock's own state;
 * - answers any API request that still reaches the server (no handler, no worker yet, curl) with
 *   a 404 in the error contract naming the missing mock, rather than proxying it to a BFF that is
 *   not running;
 * - prints the scenarios' URLs under Vite's own.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Plugin, ViteDevServer } from 'vite'
import { MOCK_AUTHORIZE_PATH, MOCK_WORKER_URL } from './paths.js'
import { SCENARIOS } from './scenarios.js'

/** Options of {@link wechatAuthMock}. */
export interface WechatAuthMockPluginOptions {
  /**
   * The module (a path from the Vite root, e.g. `/mock/index.ts`) whose default export is the app's
   * mock options (`WechatAuthMockOptions` of `@wxauth/vue/mock`: its business handlers, baseURL…).
   * Without it the mock answers the auth API only.
   */
  mock?: string
  /** Where the API is mounted (the same as the mock's `baseURL`), for the 404 above. Default `/api`. */
  baseURL?: string
  /** The Vite mode the plugin works in. Default `mock` (`vite --mode mock`). */
  mode?: string
  /** Show the scenario panel. Default true. */
  panel?: boolean
}

/** The mock entry, loaded by index.html instead of the app's own module scripts. */
const ENTRY_PATH = '/@wxauth-mock/entry.ts'
/** The module that draws the mock authorize page. */
const CONSENT_PATH = '/@wxauth-mock/consent.ts'
const VIRTUAL = '\0wxauth-mock:'

/** `<script type="module" src="…">` (Vite's own index.html form). */
const MODULE_SCRIPT = /<script\s+type="module"\s+src="([^"]+)"\s*><\/script>/g

/** The authorize page: an empty document whose module draws it (see consent-page.ts). */
const CONSENT_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">
<meta name="referrer" content="same-origin">
<link rel="icon" href="data:,">
<title>微信授权</title>
</head>
<body>
<script type="module" src="${CONSENT_PATH}"></script>
</body>
</html>
`

function workerScript(): string {
  // Resolved beside this module: the same `msw` as the browser code's (the worker checks it).
  const require = createRequire(import.meta.url)
  return readFileSync(require.resolve('msw/mockServiceWorker.js'), 'utf8')
}

/** The lines printed under Vite's URLs. */
export function scenarioLines(origin: string): string[] {
  const width = Math.max(...SCENARIOS.map((s) => s.name.length))
  return [
    '  Mock BFF (@wxauth/vue/mock): no BFF, no simulator, no database; state per tab.',
    '  Scenarios: ?mock=<name> on any page, or the 模拟 panel on the page:',
    ...SCENARIOS.map(
      (s) =>
        `    ${s.name.padEnd(width)}  ${origin}/?mock=${s.name}\n    ${' '.repeat(width)}  ${s.description}`,
    ),
  ]
}

function printScenarios(server: ViteDevServer): void {
  const local = server.resolvedUrls?.local[0] ?? `http://localhost:${server.config.server.port}/`
  const origin = new URL(local).origin
  server.config.logger.info(`\n${scenarioLines(origin).join('\n')}\n`)
}

/** The Vite plugin of `pnpm dev:mock` (see the module comment). */
export function wechatAuthMock(options: WechatAuthMockPluginOptions = {}): Plugin {
  const mode = options.mode ?? 'mock'
  const base = (options.baseURL ?? '/api').replace(/\/+$/, '')
  const appEntries: string[] = []
  const mockOptions = options.mock
    ? `import mockOptions from ${JSON.stringify(options.mock)}`
    : 'const mockOptions = {}'
  const panel = options.panel !== false

  return {
    name: 'wxauth:mock',
    apply: (_config, env) => env.command === 'serve' && env.mode === mode,

    // The mock entry is injected (Vite's dependency scan never sees it): pre-bundle what it
    // imports up front, or the first page load would find them and reload halfway through a login.
    config: () => ({
      optimizeDeps: {
        include: ['msw', 'msw/browser', 'typebox', 'typebox/value'].map(
          (dep) => `@wxauth/vue > ${dep}`,
        ),
      },
    }),

    resolveId(id) {
      if (id === ENTRY_PATH || id === CONSENT_PATH) return VIRTUAL + id
      return null
    },

    load(id) {
      if (id === VIRTUAL + ENTRY_PATH) {
        const imports = appEntries.map((src) => `await import(${JSON.stringify(src)})`).join('\n')
        return `import { startWechatAuthMock } from '@wxauth/vue/mock/browser'
${mockOptions}
try {
  await startWechatAuthMock({ ...mockOptions, panel: ${panel} })
} catch (error) {
  document.body.textContent = '[@wxauth/vue/mock] the mock BFF did not start: ' + error
  throw error
}
${imports}
`
      }
      if (id === VIRTUAL + CONSENT_PATH) {
        return `import { mountConsentPage } from '@wxauth/vue/mock/browser'
${mockOptions}
mountConsentPage(mockOptions)
`
      }
      return null
    },

    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        // The app's entries run after the mock is up, in their order, from the mock entry.
        appEntries.length = 0
        let first = true
        return html.replace(MODULE_SCRIPT, (_tag, src: string) => {
          appEntries.push(src)
          if (!first) return ''
          first = false
          return `<script type="module" src="${ENTRY_PATH}"></script>`
        })
      },
    },

    configureServer(server) {
      const worker = workerScript()
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '/').split('?')[0]!
        if (path === MOCK_WORKER_URL) {
          res.setHeader('content-type', 'text/javascript; charset=utf-8')
          res.setHeader('cache-control', 'no-store')
          res.end(worker)
          return
        }
        if (path === MOCK_AUTHORIZE_PATH) {
          res.setHeader('content-type', 'text/html; charset=utf-8')
          res.setHeader('cache-control', 'no-store')
          res.end(CONSENT_HTML)
          return
        }
        if (path === base || path.startsWith(`${base}/`)) {
          const message =
            `No mock answers ${req.method} ${path} (pnpm dev:mock): add a handler to the app's ` +
            'mock options, or reload if the page started before its service worker'
          res.statusCode = 404
          res.setHeader('content-type', 'application/json; charset=utf-8')
          res.end(JSON.stringify({ statusCode: 404, code: 'NOT_FOUND', message }))
          server.config.logger.warn(`[wxauth:mock] ${message}`)
          return
        }
        next()
      })
      const printUrls = server.printUrls.bind(server)
      server.printUrls = () => {
        printUrls()
        printScenarios(server)
      }
    },
  }
}
