// One flat ESLint config for the whole repo (after vuejs/core's eslint.config.js).
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import vue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// Globals that exist in browsers or in Node but not in plain ECMAScript: packages/shared must use
// none of them, so the same code runs in the SPA, the BFF and the simulator.
const builtin = new Set(Object.keys(globals.es2021))
const hostGlobals = [...new Set([...Object.keys(globals.browser), ...Object.keys(globals.node)])]
  .filter((name) => !builtin.has(name))
  // URL/URLSearchParams/TextEncoder exist in every runtime we target (WHATWG, not DOM).
  .filter((name) => !['URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder'].includes(name))

const focusedTests = ['it', 'test', 'describe'].flatMap((object) =>
  ['only', 'skip'].map((property) => ({
    object,
    property,
    message:
      'A focused or skipped test hides the rest of the suite. Use skipIf with a loud reason.',
  })),
)

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/test-results/**',
      'data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-properties': ['error', ...focusedTests],
    },
  },
  {
    files: ['packages/shared/src/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': [
        'error',
        ...hostGlobals.map((name) => ({
          name,
          message: '@wxauth/shared is environment-agnostic: no DOM or Node globals.',
        })),
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'No Node modules in @wxauth/shared.' }] },
      ],
    },
  },
  {
    files: ['apps/web/src/**/*.{ts,vue}', 'packages/vue/src/**/*.{ts,vue}'],
    // The mock's Vite plugin runs in Vite's Node process, not in the page.
    ignores: ['packages/vue/src/mock/vite.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The SPA (and @wxauth/vue) runs in the browser.' },
          ],
        },
      ],
    },
  },
  prettier,
)
