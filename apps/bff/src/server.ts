/**
 * The process: the only module that reads `process.env`. Validates the config (every problem listed
 * at once), picks the log format (pretty on a terminal, JSON otherwise), listens on HOST:PORT and
 * closes gracefully on SIGINT/SIGTERM (shutdown.ts: in-flight requests answered, exit 0 within 5 s).
 */
import { createRequire } from 'node:module'
import pino from 'pino'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { installShutdown, loggerOptions } from '@wxauth/fastify'

/** pino-pretty is a devDependency: present on a developer's machine, absent from a production install. */
function hasPinoPretty(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty')
    return true
  } catch {
    return false
  }
}

function createServerLogger(config: Config): pino.Logger {
  const options = loggerOptions(config.logLevel)
  // pnpm dev pipes the output (LOG_FORMAT=pretty); a terminal gets it pretty by default.
  const pretty = config.logFormat
    ? config.logFormat === 'pretty'
    : process.stdout.isTTY && !config.production
  if (pretty && hasPinoPretty()) {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        // One line per entry: readable beside the simulator's and Vite's output in pnpm dev.
        options: { colorize: true, singleLine: true, ignore: 'pid,hostname' },
      },
    })
  }
  return pino(options, pino.destination({ dest: 1, sync: false }))
}

async function main(): Promise<void> {
  let config: Config
  try {
    config = loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee apps/bff/.env.example.\n`)
      process.exit(1)
    }
    throw error
  }

  const logger = createServerLogger(config)
  const app = await buildApp(config, { logger })

  installShutdown(app)

  await app.listen({ host: config.host, port: config.port })
  if (config.developmentDefaults) {
    app.log.info(
      {
        wechatApiBase: config.wechatAuth.wechatApiBase,
        publicUrl: config.wechatAuth.publicUrl,
        staticDir: config.staticDir,
      },
      'development defaults in effect where keys are unset (no WeChat credentials given, NODE_ENV is not production)',
    )
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The BFF failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  )
  process.exit(1)
})
