/**
 * `pnpm --filter @wxauth/mock-wechat start [-- --flag …]`: the simulator for local development,
 * on `MOCK_WECHAT_HOST:MOCK_WECHAT_PORT` (default 127.0.0.1:3100), apps from `MOCK_WECHAT_APPS`,
 * every other option from its flag or environment variable (`--help` lists them).
 */
import { buildMockWechat, resolveSettings } from './app.js'
import { DEFAULT_APP } from './apps.js'
import { readCliConfig, usage, type CliConfig } from './cli-options.js'

function fail(message: string): never {
  console.error(`mock-wechat: ${message}`)
  process.exit(1)
}

async function main(): Promise<void> {
  let config: CliConfig
  try {
    config = readCliConfig(process.argv.slice(2), process.env)
  } catch (error) {
    fail((error as Error).message)
  }
  if (config.help) {
    console.log(usage())
    return
  }
  const { host, port, options } = config
  const apps = options.apps ?? [DEFAULT_APP]
  const app = buildMockWechat({ ...options, logger: { level: config.logLevel } })
  let url: string
  try {
    url = await app.listen({ port, host })
  } catch (error) {
    fail(`cannot listen on ${host}:${port}: ${(error as Error).message}`)
  }

  const settings = resolveSettings(options)
  // Secrets are never printed: the default one is in the README, custom ones are yours.
  const lines = [
    '',
    'WeChat simulator (@wxauth/mock-wechat): not a production server.',
    `  URL           ${url}`,
    `  Control page  ${url}/__mock`,
    ...apps.map(
      (a) =>
        `  App           ${a.appid}${a.appid === DEFAULT_APP.appid ? ' (default development app)' : ''}; web-auth domains: ${a.domains.join(', ')}${a.namespace ? `; namespace ${a.namespace}` : ''}`,
    ),
    `  Rules         state ${settings.strictState ? 'strict [A-Za-z0-9]' : 'echoed (≤ 128 bytes)'}; parameter order checked: ${settings.orderCheck}; timeout hold ${settings.timeoutHoldMs} ms; authorize limit ${settings.authorizeRateLimitPerMinute}/min`,
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
