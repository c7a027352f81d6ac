/**
 * `pnpm --filter @wxauth/mock-wechat start`: the simulator for local development, on
 * `MOCK_WECHAT_HOST:MOCK_WECHAT_PORT` (default 127.0.0.1:3100), apps from `MOCK_WECHAT_APPS`.
 */
import { buildMockWechat } from './app.js'
import { DEFAULT_APP, loadMockAppsFromEnv } from './apps.js'

function fail(message: string): never {
  console.error(`mock-wechat: ${message}`)
  process.exit(1)
}

function readPort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3100
  const port = Number(raw)
  if (!/^\d+$/.test(raw) || port > 65535) fail(`MOCK_WECHAT_PORT must be 0-65535, got "${raw}"`)
  return port
}

async function main(): Promise<void> {
  const port = readPort(process.env.MOCK_WECHAT_PORT)
  const host = process.env.MOCK_WECHAT_HOST || '127.0.0.1'
  let apps
  try {
    apps = loadMockAppsFromEnv(process.env)
  } catch (error) {
    fail((error as Error).message)
  }
  const level = process.env.MOCK_WECHAT_LOG_LEVEL || 'warn'
  const app = buildMockWechat({ apps, logger: { level } })
  let url: string
  try {
    url = await app.listen({ port, host })
  } catch (error) {
    fail(`cannot listen on ${host}:${port}: ${(error as Error).message}`)
  }

  // Secrets are never printed: the default one is in the README, custom ones are yours.
  const lines = [
    '',
    'WeChat simulator (@wxauth/mock-wechat): not a production server.',
    `  URL           ${url}`,
    `  Control page  ${url}/__mock`,
    ...apps.map(
      (a) =>
        `  App           ${a.appid}${a.appid === DEFAULT_APP.appid ? ' (default development app)' : ''}; web-auth domains: ${a.domains.join(', ')}`,
    ),
    `  Point a client at it: WECHAT_OPEN_BASE=${url} WECHAT_API_BASE=${url}`,
    '',
  ]
  console.log(lines.join('\n'))

  let closing = false
  const shutdown = (signal: string): void => {
    if (closing) return
    closing = true
    console.log(`mock-wechat: ${signal}, shutting down`)
    app.close().then(
      () => process.exit(0),
      (error: unknown) => fail(`error while closing: ${(error as Error).message}`),
    )
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
}

void main()
