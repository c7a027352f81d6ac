// @vitest-environment node
import { describe, expect, it, vi } from 'vitest'
import type { Connect, Plugin, ViteDevServer } from 'vite'
import { MOCK_AUTHORIZE_PATH, MOCK_WORKER_URL } from './paths.js'
import { scenarioLines, wechatAuthMock } from './vite.js'

type Hook = (this: unknown, ...args: unknown[]) => unknown
const call = (hook: unknown, ...args: unknown[]): unknown =>
  (typeof hook === 'function' ? hook : (hook as { handler: Hook }).handler).call({}, ...args)

const INDEX = `<!doctype html><html><body><div id="app"></div>
<script type="module" src="/src/main.ts"></script>
<script type="module" src="/src/extra.ts"></script>
</body></html>`

/** The plugin's middleware on a stand-in server; answers are what it wrote. */
function serve(plugin: Plugin) {
  let middleware: Connect.NextHandleFunction | undefined
  const server = {
    middlewares: { use: (fn: Connect.NextHandleFunction) => (middleware = fn) },
    printUrls: vi.fn(),
    resolvedUrls: { local: ['http://127.0.0.1:5173/'], network: [] },
    config: { logger: { info: vi.fn(), warn: vi.fn() }, server: { port: 5173 } },
  }
  call(plugin.configureServer, server as unknown as ViteDevServer)
  const get = (url: string, method = 'GET') => {
    const headers: Record<string, string> = {}
    const res = {
      statusCode: 200,
      body: '',
      setHeader: (k: string, v: string) => void (headers[k] = v),
      end(body: string) {
        this.body = body
      },
    }
    const next = vi.fn()
    middleware!({ url, method } as never, res as never, next)
    return { ...res, headers, passed: next.mock.calls.length > 0 }
  }
  return { server, get }
}

describe('the Vite plugin of pnpm dev:mock', () => {
  const plugin = wechatAuthMock({ mock: '/mock/index.ts' })

  it('works in `vite --mode mock` only, never in a build', () => {
    const apply = plugin.apply as (c: object, env: { command: string; mode: string }) => boolean
    expect(apply({}, { command: 'serve', mode: 'mock' })).toBe(true)
    expect(apply({}, { command: 'serve', mode: 'development' })).toBe(false)
    expect(apply({}, { command: 'build', mode: 'mock' })).toBe(false)
  })

  it('pre-bundles what the injected mock entry imports (a late discovery reloads the page)', () => {
    const config = call(plugin.config) as { optimizeDeps: { include: string[] } }
    expect(config.optimizeDeps.include).toEqual([
      '@wxauth/vue > msw',
      '@wxauth/vue > msw/browser',
      '@wxauth/vue > typebox',
      '@wxauth/vue > typebox/value',
    ])
  })

  it('index.html loads the mock entry, which starts the mock and then the app’s entries', () => {
    const html = call(plugin.transformIndexHtml, INDEX) as string
    expect(html).toContain('<script type="module" src="/@wxauth-mock/entry.ts"></script>')
    expect(html).not.toContain('/src/main.ts')
    const id = call(plugin.resolveId, '/@wxauth-mock/entry.ts') as string
    const code = call(plugin.load, id) as string
    expect(code).toContain('import mockOptions from "/mock/index.ts"')
    const start = code.indexOf('await startWechatAuthMock')
    expect(start).toBeGreaterThan(-1)
    expect(code.indexOf('await import("/src/main.ts")')).toBeGreaterThan(start)
    expect(code.indexOf('await import("/src/extra.ts")')).toBeGreaterThan(
      code.indexOf('await import("/src/main.ts")'),
    )
  })

  it('serves MSW’s worker, the authorize page, and a 404 for an API route without a mock', () => {
    const { get, server } = serve(plugin)
    const worker = get(MOCK_WORKER_URL)
    expect(worker.body).toContain('INTEGRITY_CHECKSUM')
    expect(worker.headers['content-type']).toMatch(/javascript/)

    const page = get(`${MOCK_AUTHORIZE_PATH}?appid=wx5f3c1a9e2b7d4f60&scope=snsapi_base`)
    expect(page.body).toContain('<script type="module" src="/@wxauth-mock/consent.ts">')

    const missing = get('/api/orders', 'POST')
    expect(missing.statusCode).toBe(404)
    expect(JSON.parse(missing.body)).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' })
    expect(server.config.logger.warn).toHaveBeenCalledOnce()

    expect(get('/src/main.ts').passed).toBe(true)
    expect(get('/apiary').passed).toBe(true)
  })

  it('prints every scenario’s URL under Vite’s', () => {
    const { server } = serve(plugin)
    server.printUrls()
    const printed = String(server.config.logger.info.mock.calls[0]?.[0])
    for (const line of scenarioLines('http://127.0.0.1:5173')) expect(printed).toContain(line)
    expect(printed).toContain('http://127.0.0.1:5173/?mock=unavailable')
  })
})
