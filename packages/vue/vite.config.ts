/**
 * `pnpm build`: Vite library mode, one ES module entry (dist/index.js) plus the lazily loaded
 * open-in-WeChat screen; the declarations come from `vue-tsc -p tsconfig.build.json`.
 * @see https://vite.dev/guide/build.html#library-mode
 */
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import pkg from './package.json' with { type: 'json' }

/**
 * Dependencies and peers stay imports: the app's bundler resolves (and dedupes) them. So do Node's
 * own modules, which only the mock's Vite plugin (`mock-vite`) uses.
 */
const external = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]

export default defineConfig({
  plugins: [vue()],
  build: {
    // WeChat's webviews include old iOS WKWebViews (see apps/web/vite.config.ts); the app's own
    // build transpiles again for its target, this only keeps dist/ usable as it is.
    target: 'es2019',
    sourcemap: true,
    lib: {
      // the package's exports: `.`, and the mock of `pnpm dev:mock` (./mock, ./mock/browser,
      // ./mock/vite), which nothing in the main entry imports
      entry: {
        index: 'src/index.ts',
        mock: 'src/mock/index.ts',
        'mock-browser': 'src/mock/browser.ts',
        'mock-vite': 'src/mock/vite.ts',
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rollupOptions: {
      external: (id) =>
        id.startsWith('node:') || external.some((name) => id === name || id.startsWith(`${name}/`)),
    },
  },
})
