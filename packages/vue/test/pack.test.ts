// @vitest-environment node
/**
 * The packages as an adopter gets them: `pnpm pack` of `@wxauth/shared` and `@wxauth/vue` (each
 * builds its dist/ in `prepack`), `npm install` of the tarballs with vue, pinia and happy-dom from
 * the registry into a project outside the workspace, then
 * - Node runs the built ESM in a happy-dom page: createWechatAuth cleans the landing URL, a mounted
 *   app sends the code headers to a real HTTP server and becomes ready, and a cancelled landing
 *   renders the packaged screen;
 * - the workspace's TypeScript checks the README's quick start against the shipped declarations;
 * - the adopter's own Vite runs the mock BFF of `@wxauth/vue/mock/vite` (`vite --mode mock`) with
 *   a business route of its own, as the README sets it up, and Chromium logs in through the
 *   service worker and the mock consent page, then gets that route's answer.
 * Needs the npm registry (CI has it) and Chromium (skipped with a warning only outside CI); every
 * step has a time limit.
 */
import { execFile } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLogged } from '../../../scripts/child-process.js'

const run = promisify(execFile)
const VUE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const SHARED_ROOT = resolve(VUE_ROOT, '..', 'shared')
const require = createRequire(import.meta.url)

/** The version the workspace uses, so npm can often answer from its cache. */
function versionOf(name: string): string {
  // read from node_modules: some packages (typebox) do not export their package.json
  const pkg = JSON.parse(readFileSync(join(VUE_ROOT, 'node_modules', name, 'package.json'), 'utf8'))
  return (pkg as { version: string }).version
}

const CODE = '071CyW000UGidO1SxY000uNATs1CyW04'
const STATE = 'Zq3xY9bK2mP7vR1tW5sN8dF4gH6jL0aC'

/** Runs in the adopter's project, in Node: prints one JSON line of what it saw. */
const CHECK_MJS = `
import { createServer } from 'node:http'
import { Window } from 'happy-dom'

const CODE = '${CODE}'
const STATE = '${STATE}'
const seen = []
const server = createServer((req, res) => {
  seen.push({ path: req.url, code: req.headers['x-wechat-code'] ?? null, state: req.headers['x-wechat-state'] ?? null })
  const ok = req.headers['x-wechat-code'] === CODE && req.headers['x-wechat-state'] === STATE
  res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
  res.end(JSON.stringify(ok
    ? { user: null, session: { scope: 'snsapi_base', snapshot: false, expiresAt: '2030-01-01T00:00:00.000Z' } }
    : { statusCode: 401, code: 'AUTH_REQUIRED', message: 'Please log in with WeChat' }))
})
await new Promise((ready) => server.listen(0, '127.0.0.1', ready))
const origin = 'http://127.0.0.1:' + server.address().port

// A page for Vue's DOM renderer, set up before vue is imported.
const page = new Window({ url: 'https://h.example/orders?x=1&code=' + CODE + '&state=' + STATE })
globalThis.window = page
for (const name of ['document', 'Node', 'Element', 'HTMLElement', 'SVGElement', 'MathMLElement', 'Event']) {
  if (!(name in globalThis)) globalThis[name] = name === 'document' ? page.document : page[name]
}

const { createApp, h, nextTick } = await import('vue')
const { createPinia } = await import('pinia')
const wx = await import('@wxauth/vue')

const results = {}
const auth = wx.createWechatAuth({ baseURL: origin + '/api', scope: 'snsapi_base' })
results.cleaned = page.location.href
results.entryUrl = auth.entryUrl

const App = {
  setup() {
    const { status } = wx.useWechatAuth()
    return () => h('main', [h('p', { id: 'status' }, status.value.kind), h(wx.WechatAuthScreen)])
  },
}
const mount = (plugin) => {
  const root = page.document.createElement('div')
  page.document.body.appendChild(root)
  createApp(App).use(createPinia()).use(plugin).mount(root)
  return root
}
const root = mount(auth)
await auth.useStore().ensureLoaded()
await nextTick()
results.status = root.querySelector('#status').textContent
results.seen = seen

page.happyDOM.setURL('https://h.example/?state=' + STATE)
const cancelled = mount(wx.createWechatAuth())
await nextTick()
results.cancelled = cancelled.querySelector('[data-test=screen-cancelled] .weui-msg__title')?.textContent ?? null
results.cancelledUrl = page.location.href

console.log(JSON.stringify(results))
server.close()
await page.happyDOM.close()
`

/** The README's quick start, type-checked against dist/*.d.ts. */
const USAGE_TS = `
import { createApp, defineComponent, h } from 'vue'
import { createPinia } from 'pinia'
import {
  WechatAuthScreen,
  createWechatAuth,
  useWechatAuth,
  type AuthStatus,
  type WechatAuthContext,
} from '@wxauth/vue'

const auth = createWechatAuth({ baseURL: '/api', scope: 'snsapi_base' }) // before createRouter
const App = defineComponent(() => {
  const { user, session, status, login, logout, refresh, api }: WechatAuthContext = useWechatAuth()
  const kind: AuthStatus['kind'] = status.value.kind
  const orders: Promise<Array<{ id: number }>> = api<Array<{ id: number }>>('/orders')
  void [user.value?.nickname, session.value?.scope, kind, orders, login('snsapi_userinfo'), logout, refresh]
  return () => h(WechatAuthScreen)
})
createApp(App).use(createPinia()).use(auth).mount('#app')
// The declarations resolve (an unresolved one would be \`any\` and take these silently):
// @ts-expect-error the scope is checked
createWechatAuth({ scope: 'snsapi_login' })
// @ts-expect-error a component is no string
export const screen: string = WechatAuthScreen
// @ts-expect-error the status is a union of objects
export const text: string = useWechatAuth().status.value
`

/** The adopter's front end for `vite --mode mock`: a page, its app, its Vite config. */
const MOCK_APP = {
  'index.html': `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>adopter</title></head>
<body><div id="app"></div><script type="module" src="/src/main.js"></script></body>
</html>
`,
  'src/main.js': `import { createApp, h, ref } from 'vue'
import { createPinia } from 'pinia'
import { WechatAuthScreen, createWechatAuth, useWechatAuth } from '@wxauth/vue'
import '@wxauth/vue/style.css'

const auth = createWechatAuth({ baseURL: '/api' })
const App = {
  setup() {
    const { status, user, screen, api, ensureLoaded } = useWechatAuth()
    const orders = ref(null)
    // what a router guard and a page do: the session, and a business call beside it (the first
    // of them to fail starts the login; back with a code, both carry it)
    void ensureLoaded()
    api('/orders').then((list) => (orders.value = list), () => {})
    return () => h('main', [
      h('p', { id: 'status' }, status.value.kind),
      h('p', { id: 'nickname' }, user.value?.nickname ?? ''),
      h('p', { id: 'orders' }, orders.value === null ? '' : JSON.stringify(orders.value)),
      screen.value ? h(WechatAuthScreen) : null,
    ])
  },
}
createApp(App).use(createPinia()).use(auth).mount('#app')
`,
  'vite.config.mjs': `import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { wechatAuthMock } from '@wxauth/vue/mock/vite'

export default defineConfig({
  plugins: [vue(), wechatAuthMock({ mock: '/mock/index.js', baseURL: '/api' })],
})
`,
  // the README's business route: a handler behind the real requireUser, answered by its schema
  'mock/index.js': `import { http } from 'msw'
import Type from 'typebox'

const Orders = Type.Array(Type.Object({ id: Type.Number(), buyer: Type.String() }))
export default {
  baseURL: '/api',
  handlers: (mock) => [
    http.get(
      mock.path('/orders'),
      mock.requireUser(({ wechatUser }) => mock.json(Orders, [{ id: 1, buyer: wechatUser.nickname }])),
    ),
  ],
}
`,
  // \`vite --mode mock\` on a free port, which it prints
  'serve.mjs': `import { createServer } from 'vite'

const server = await createServer({ mode: 'mock', server: { host: '127.0.0.1', port: 0 } })
await server.listen()
console.log('LISTENING ' + server.httpServer.address().port)
const stop = () => server.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
`,
}

const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium'
/** Outside CI a missing Chromium skips the browser test, loudly; in CI it fails it. */
const BROWSER_MISSING = !existsSync(CHROME_PATH) && process.env.CI !== 'true'
if (BROWSER_MISSING) {
  console.warn(`\n[pack] SKIPPED the mock test: no Chromium at ${CHROME_PATH} (set CHROME_PATH)\n`)
}

/** Start the adopter's `serve.mjs` and wait until Vite listens; `stop()` ends it. */
async function startAdopterVite(cwd: string): Promise<{ origin: string; stop(): Promise<void> }> {
  // NODE_ENV unset (Vitest's is `test`): the dev server decides its own
  const { child, output, exited } = runLogged(
    process.execPath,
    ['serve.mjs'],
    { NO_COLOR: '1' },
    { cwd },
  )
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
  const until = Date.now() + 60_000
  let match: RegExpExecArray | null = null
  while (!(match = /LISTENING (\d+)/.exec(output()))) {
    if (Date.now() > until || child.exitCode !== null) {
      await stop()
      throw new Error(`the adopter's vite did not start:\n${output()}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return { origin: `http://127.0.0.1:${match[1]}`, stop }
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2020',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    lib: ['ES2020', 'DOM'],
    types: [],
    strict: true,
    noEmit: true,
    // as create-vue sets it (ofetch's node types want undici); the expect-errors in usage.ts catch
    // a declaration that did not resolve
    skipLibCheck: true,
  },
  files: ['usage.ts'],
}

describe('pnpm pack → npm install outside the workspace', () => {
  let work: string
  let project: string

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'wxauth-pack-'))
    const env = { ...process.env, NODE_ENV: 'production' } // Vitest's `test` would skew vite build
    for (const dir of [SHARED_ROOT, VUE_ROOT]) {
      await run('pnpm', ['pack', '--pack-destination', work], { cwd: dir, env, timeout: 120_000 })
    }
    const tarballs = readdirSync(work).filter((f) => f.endsWith('.tgz'))
    const shared = tarballs.find((f) => f.startsWith('wxauth-shared-'))
    const vue = tarballs.find((f) => f.startsWith('wxauth-vue-'))
    if (!shared || !vue) throw new Error(`pnpm pack made ${tarballs.join(', ')}`)

    project = join(work, 'adopter')
    mkdirSync(project)
    const local = (file: string) => `file:${join(work, file)}`
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'adopter',
        private: true,
        type: 'module',
        dependencies: {
          '@wxauth/shared': local(shared),
          '@wxauth/vue': local(vue),
          vue: versionOf('vue'),
          pinia: versionOf('pinia'),
          'happy-dom': versionOf('happy-dom'),
          // a front-end developer's mock setup (README: "Front-end only: the mock BFF")
          vite: versionOf('vite'),
          '@vitejs/plugin-vue': versionOf('@vitejs/plugin-vue'),
          msw: versionOf('msw'),
          typebox: versionOf('typebox'),
        },
        // @wxauth/vue's "@wxauth/shared": "^0.1.0" is the tarball above, never the registry
        overrides: { '@wxauth/shared': local(shared) },
      }),
    )
    writeFileSync(join(project, 'check.mjs'), CHECK_MJS)
    writeFileSync(join(project, 'usage.ts'), USAGE_TS)
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG))
    for (const [file, text] of Object.entries(MOCK_APP)) {
      mkdirSync(dirname(join(project, file)), { recursive: true })
      writeFileSync(join(project, file), text)
    }
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
      {
        cwd: project,
        timeout: 240_000,
      },
    )
  }, 420_000)

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true })
  })

  it('ships dist and the sources, and no tests', () => {
    const files = readdirSync(join(project, 'node_modules', '@wxauth', 'vue', 'dist'))
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.d.ts']))
    const src = readdirSync(join(project, 'node_modules', '@wxauth', 'vue', 'src'))
    expect(src.filter((f) => f.endsWith('.test.ts'))).toEqual([])
    const manifest = JSON.parse(
      readFileSync(join(project, 'node_modules', '@wxauth', 'vue', 'package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> }
    expect(manifest.dependencies['@wxauth/shared']).toMatch(/^\^\d/) // workspace:^ was resolved
  })

  it('runs in Node: cleans the landing URL, sends the code headers, renders the screens', async () => {
    const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: project, timeout: 60_000 })
    const results = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>
    expect(results).toEqual({
      cleaned: 'https://h.example/orders?x=1',
      entryUrl: `https://h.example/orders?x=1&code=${CODE}&state=${STATE}`,
      status: 'ready',
      seen: [{ path: '/api/me', code: CODE, state: STATE }],
      cancelled: '你取消了授权',
      cancelledUrl: 'https://h.example/',
    })
  })

  it('type-checks the quick start against the shipped declarations', async () => {
    const tsc = require.resolve('typescript/bin/tsc')
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], {
      cwd: project,
      timeout: 120_000,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }))
    expect(result.stdout).toBe('')
  })

  it.skipIf(BROWSER_MISSING)(
    "runs the mock BFF from the tarball in the adopter's Vite: a silent login and a business route",
    async () => {
      const vite = await startAdopterVite(project)
      const browser = await chromium.launch({
        executablePath: CHROME_PATH,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      })
      try {
        // Before any service worker: the plugin answers the API itself, in the error contract.
        const direct = await fetch(`${vite.origin}/api/me`)
        expect(direct.status).toBe(404)
        expect(((await direct.json()) as { code: string }).code).toBe('NOT_FOUND')
        const worker = await fetch(`${vite.origin}/mockServiceWorker.js`)
        expect(worker.status).toBe(200)
        expect(worker.headers.get('content-type')).toMatch(/javascript/)

        const page = await browser.newPage()
        const visited: string[] = []
        page.on('framenavigated', (frame) => {
          if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname)
        })
        await page.goto(`${vite.origin}/?mock=returning`)
        // /orders: 401 from the mock → the mock consent page (silent for snsapi_base) → back with a
        // code → the persona's stored profile, and the app's own handler answers the next call
        await page.waitForFunction(
          () => document.querySelector('#status')?.textContent === 'ready',
          undefined,
          { timeout: 60_000 },
        )
        const nickname = await page.textContent('#nickname')
        expect(nickname).not.toBe('')
        await page.waitForFunction(() => document.querySelector('#orders')?.textContent !== '')
        expect(JSON.parse((await page.textContent('#orders')) ?? '')).toEqual([
          { id: 1, buyer: nickname },
        ])
        expect(visited).toContain('/__mock-wechat/connect/oauth2/authorize')
        expect(new URL(page.url()).searchParams.has('code')).toBe(false)
      } finally {
        await browser.close()
        await vite.stop()
      }
    },
    120_000,
  )
})
