import { defineConfig, defaultClientConditions, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import type * as MockVite from '@wxauth/vue/mock/vite'

/** Allowed values of the build-time options (README.md, "Build options"). */
const BUILD_OPTIONS: Record<string, readonly string[]> = {
  VITE_ROUTER_MODE: ['history', 'hash'],
  VITE_LOGIN_SCOPE: ['snsapi_base', 'snsapi_userinfo'],
}

/** Fails the build on a misspelt option instead of silently shipping the default. */
function checkBuildOptions(): Plugin {
  return {
    name: 'wxauth:check-build-options',
    configResolved(config) {
      const env = config.env as Record<string, string | undefined>
      const problems = Object.entries(BUILD_OPTIONS).flatMap(([key, allowed]) => {
        const value = env[key]
        return value === undefined || value === '' || allowed.includes(value)
          ? []
          : [`${key}=${JSON.stringify(value)} (expected ${allowed.join(' | ')})`]
      })
      if (problems.length > 0) {
        throw new Error(`[@wxauth/web] bad build options: ${problems.join(', ')}`)
      }
    },
  }
}

/**
 * Vue's compile-time feature flags. Every component here and in @wxauth/vue is `<script setup>`, so
 * the Options API (data/methods/computed/watch options, mixins) is left out of the runtime: about
 * 1.8 kB gzip of the initial bundle. scripts/bench.mjs builds its baseline with the same flags.
 * @see https://vuejs.org/api/compile-time-flags.html
 */
export const VUE_FLAGS = { __VUE_OPTIONS_API__: 'false' }

/**
 * The polyfill only fetches <link rel="modulepreload"> early on old iOS; the entry here is one file
 * with none, and lazy chunks load without it: 0.5 kB gzip of initial JS saved. scripts/bench.mjs
 * builds its baseline with the same setting.
 */
export const MODULE_PRELOAD = { polyfill: false }

/**
 * terser, not Vite's default esbuild minifier: 2.3 kB gzip less initial JS (47.6 → 45.3 kB), and
 * less in every lazy chunk, for a few seconds more build time. scripts/bench.mjs builds its
 * baseline with the same minifier, so the ratio it prints is unchanged by this.
 * @see https://vite.dev/config/build-options.html#build-minify
 */
export const MINIFY = 'terser' as const

/**
 * A second compress pass: 0.05 kB gzip less initial JS for about a second more build time (a
 * third pass finds nothing more). Vite's `safari10: true` stays although `false` would save as
 * much again: it works around Safari 10/11's loop-scoping and `await` bugs, and old iOS WebViews
 * are what WeChat users still open pages in. scripts/bench.mjs builds its baseline with the same.
 * @see https://terser.org/docs/options/#compress-options
 */
export const TERSER_OPTIONS = { compress: { passes: 2 } }

/**
 * `pnpm dev:mock` (`vite --mode mock`): the mock BFF of `@wxauth/vue/mock` with the demo's business
 * handlers (mock/index.ts). Imported only in that mode, so no other server or build loads it. The
 * specifier is a variable so that Vite's config bundler leaves it to Node: it would resolve the
 * package to its built dist/ (stale, or absent on a fresh clone), where Node, run with
 * `--conditions=source` by the dev:mock script, loads the source.
 */
async function mockPlugins(mode: string): Promise<Plugin[]> {
  if (mode !== 'mock') return []
  const specifier = '@wxauth/vue/mock/vite'
  const { wechatAuthMock } = (await import(specifier)) as typeof MockVite
  return [wechatAuthMock({ mock: '/mock/index.ts', baseURL: '/api' })]
}

export default defineConfig(async ({ mode }) => ({
  plugins: [vue(), checkBuildOptions(), ...(await mockPlugins(mode))],
  define: VUE_FLAGS,
  // `source` first: @wxauth/shared is used from its TypeScript source, no build step needed.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  server: {
    // The same host as the BFF's development PUBLIC_URL (http://127.0.0.1:<WEB_PORT>): cookies set
    // on `localhost` would not reach the callback on 127.0.0.1, costing a second trip to WeChat.
    host: '127.0.0.1',
    // WEB_PORT moves the page (scripts/dev.ts points PUBLIC_URL and the simulator's domains at it);
    // strict, because the BFF and the simulator expect exactly this origin.
    port: Number(process.env.WEB_PORT || 5173),
    strictPort: true,
    // The BFF listens on PORT (3000) in development; the SPA only ever talks to /api.
    proxy: { '/api': { target: `http://127.0.0.1:${process.env.PORT || 3000}` } },
  },
  build: {
    // WeChat's in-app browser is XWeb (Chromium) on Android and WKWebView on iOS; es2019 also
    // covers the iOS 12/13 WebViews still seen in the field (no `?.`/`??` left in the output).
    target: 'es2019',
    modulePreload: MODULE_PRELOAD,
    minify: MINIFY,
    terserOptions: TERSER_OPTIONS,
    rollupOptions: {
      // TypeBox has no `sideEffects` field; nothing of it runs in the browser (see above).
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]typebox[\\/]/.test(id) },
    },
  },
}))
