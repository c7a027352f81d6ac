/**
 * The demo BFF's test harness: `@wxauth/fastify`'s own (a simulator on port 0, cookie-keeping
 * browsers, scripted logins, the suite-wide leak scan) building the demo with `buildApp` instead of
 * the package's fixture app, from a `Config` the way server.ts makes one.
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { WechatAuthOptions } from '@wxauth/fastify'
import {
  COOKIE_SECRET,
  PUBLIC_URL,
  build as buildHarness,
  type AppBuilder,
  type BuildTestOptions,
  type TestContext,
} from '../../../packages/fastify/test/helper.js'
import { buildApp } from '../src/app.js'
import { loadConfig, type Config } from '../src/config.js'

export {
  COOKIE_SECRET,
  PUBLIC_URL,
  codeHeaders,
  cookieClient,
  leakLedger,
  recordingFetch,
  type Browser,
  type TestContext,
} from '../../../packages/fastify/test/helper.js'

/** A demo config for tests from an environment (the test defaults plus `env`). */
export function testConfig(
  env: Record<string, string | undefined> = {},
  cwd = process.cwd(),
): Config {
  return loadConfig(
    {
      NODE_ENV: 'test',
      PUBLIC_URL,
      COOKIE_SECRET,
      LOG_LEVEL: 'debug',
      STATIC_DIR: join(tmpdir(), 'wxauth-no-spa-here'),
      ...env,
    },
    { cwd },
  )
}

/** Build the demo from `env` with the harness's plugin options (simulator, database, fetch) on top. */
export function demoBuilder(env: Record<string, string | undefined> = {}): AppBuilder {
  return (options: WechatAuthOptions, logStream) => {
    const config = testConfig(env)
    return buildApp(config, { logStream, wechatAuth: options })
  }
}

/** The harness on the demo: `env` is the demo's environment, `options` overrides on top of it. */
export function build(
  opts: Omit<BuildTestOptions, 'buildApp'> & { env?: Record<string, string | undefined> } = {},
): Promise<TestContext> {
  const { env, ...rest } = opts
  return buildHarness({ ...rest, buildApp: demoBuilder(env), appTables: ['activity_participants'] })
}
