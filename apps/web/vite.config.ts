import { defineConfig, defaultClientConditions, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

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

export default defineConfig({
  plugins: [vue(), checkBuildOptions()],
  define: VUE_FLAGS,
  // `source` first: @wxauth/shared is used from its TypeScript source, no build step needed.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  server: {
    // The same host as the BFF's development PUBLIC_URL (http://127.0.0.1:5173): cookies set on
    // `localhost` would not reach the callback on 127.0.0.1, costing a second trip to WeChat.
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    // The BFF (apps/bff) listens on 3000 in development; the SPA only ever talks to /api.
    proxy: { '/api': { target: 'http://127.0.0.1:3000' } },
  },
  build: {
    // WeChat's in-app browser is XWeb (Chromium) on Android and WKWebView on iOS; es2019 also
    // covers the iOS 12/13 WebViews still seen in the field (no `?.`/`??` left in the output).
    target: 'es2019',
    modulePreload: MODULE_PRELOAD,
    rollupOptions: {
      // TypeBox has no `sideEffects` field; nothing of it runs in the browser (see above).
      treeshake: { moduleSideEffects: (id) => !/[\\/]typebox[\\/]/.test(id) },
    },
  },
})
