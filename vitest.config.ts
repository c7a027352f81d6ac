import { defineConfig, defaultServerConditions, defaultClientConditions } from 'vite'
import vue from '@vitejs/plugin-vue'

// One root config, one project per package (vuejs/core's layout). Workspace packages are
// resolved through their "source" export condition, so tests run against src/ without a build.
const conditions = { resolve: { conditions: ['source', ...defaultServerConditions] } }

export default defineConfig({
  ...conditions,
  ssr: conditions,
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'shared', root: 'packages/shared', environment: 'node' },
      },
      {
        extends: true,
        // The repository's own scripts (pnpm dev): they start real servers, one file at a time.
        test: {
          name: 'scripts',
          root: 'scripts',
          environment: 'node',
          include: ['**/*.test.ts'],
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: { name: 'wechat', root: 'packages/wechat', environment: 'node' },
      },
      {
        extends: true,
        test: { name: 'mock-wechat', root: 'packages/mock-wechat', environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'fastify',
          root: 'packages/fastify',
          environment: 'node',
          // Each test file builds its own app + simulator; files run in parallel forks.
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'bff',
          root: 'apps/bff',
          environment: 'node',
          // Each BFF test file builds its own app + simulator; files run in parallel forks.
          testTimeout: 20_000,
        },
      },
      {
        plugins: [vue()],
        resolve: { conditions: ['source', ...defaultClientConditions] },
        test: {
          name: 'web',
          root: 'apps/web',
          environment: 'happy-dom',
          include: ['src/**/*.test.ts', 'mock/**/*.test.ts'],
        },
      },
      {
        plugins: [vue()],
        resolve: { conditions: ['source', ...defaultClientConditions] },
        test: {
          name: 'vue',
          root: 'packages/vue',
          environment: 'happy-dom',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          // test/pack.test.ts packs, installs and runs the package outside the workspace
          testTimeout: 20_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          root: 'apps/web',
          environment: 'node',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
