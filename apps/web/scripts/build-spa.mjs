/**
 * Build the SPA with Vite's JS API into any directory, with the build options passed explicitly
 * (through a throwaway envDir, so the caller's environment is never touched). Used by the
 * end-to-end tests (history and hash builds) and by bench.mjs.
 *
 *   node scripts/build-spa.mjs --out-dir /tmp/spa [--router-mode hash] [--login-scope snsapi_userinfo]
 *
 * Run it with NODE_ENV unset or `production`: Vite makes a development build when NODE_ENV says so
 * (Vitest sets `test`), which is why the e2e tests run this file in a child process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { build } from 'vite'

/** apps/web */
export const WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Build into `outDir`.
 * @param {{ outDir: string, routerMode?: 'history' | 'hash', loginScope?: 'snsapi_base' | 'snsapi_userinfo', logLevel?: 'info' | 'warn' | 'error' | 'silent' }} options
 */
export async function buildSpa({
  outDir,
  routerMode = 'history',
  loginScope = 'snsapi_base',
  logLevel = 'warn',
}) {
  const envDir = mkdtempSync(join(tmpdir(), 'wxauth-web-env-'))
  try {
    writeFileSync(
      join(envDir, '.env'),
      `VITE_ROUTER_MODE=${routerMode}\nVITE_LOGIN_SCOPE=${loginScope}\n`,
    )
    await build({
      root: WEB_ROOT,
      configFile: join(WEB_ROOT, 'vite.config.ts'),
      envDir,
      logLevel,
      build: { outDir: resolve(outDir), emptyOutDir: true },
    })
  } finally {
    rmSync(envDir, { recursive: true, force: true })
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      'out-dir': { type: 'string' },
      'router-mode': { type: 'string', default: 'history' },
      'login-scope': { type: 'string', default: 'snsapi_base' },
    },
  })
  if (!values['out-dir']) {
    console.error('usage: node scripts/build-spa.mjs --out-dir DIR [--router-mode history|hash]')
    process.exit(2)
  }
  await buildSpa({
    outDir: values['out-dir'],
    routerMode: /** @type {'history' | 'hash'} */ (values['router-mode']),
    loginScope: /** @type {'snsapi_base' | 'snsapi_userinfo'} */ (values['login-scope']),
  })
}
