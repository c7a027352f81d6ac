/**
 * The plugin's options from environment variables, for an app configured the twelve-factor way:
 * `WECHAT_APPID` → `appId`, `SESSION_TTL` → `sessionTtl`, `METRICS_PORT` → `metrics.port`, … The
 * values are checked by the plugin's own rules (options.ts), and each problem is named by its
 * variable, so an operator reads `WECHAT_APPID must be …`, not `appId`. Empty strings count as unset.
 * Relative SQLite paths resolve against `cwd`.
 */
import { isAbsolute, resolve } from 'node:path'
import { WechatAuthOptionsError, resolveOptions, type WechatAuthOptions } from './options.js'

/** Each environment variable and the option it sets. */
export const ENV_OPTIONS = {
  WECHAT_APPID: 'appId',
  WECHAT_SECRET: 'secret',
  PUBLIC_URL: 'publicUrl',
  COOKIE_SECRET: 'cookieSecret',
  WECHAT_API_BASE: 'wechatApiBase',
  WECHAT_OPEN_BASE: 'wechatOpenBase',
  WECHAT_LANG: 'lang',
  WECHAT_GLOBAL_TOKEN: 'globalToken',
  WECHAT_ACCOUNT_QR_URL: 'accountQrUrl',
  SESSION_TTL: 'sessionTtl',
  PROFILE_TTL: 'profileTtl',
  SUBSCRIPTION_TTL: 'subscriptionTtl',
  DATABASE_URL: 'databaseUrl',
  REDIS_URL: 'redisUrl',
  AUTH_RATE_LIMIT: 'authRateLimit',
  AUTH_RATE_LIMIT_PER_IP: 'authRateLimitPerIp',
  EXCHANGE_RATE_LIMIT: 'exchangeRateLimit',
  EXCHANGE_RATE_LIMIT_PER_IP: 'exchangeRateLimitPerIp',
  EXCHANGE_CONCURRENCY: 'exchangeConcurrency',
  MP_VERIFY_DIR: 'mpVerifyDir',
} as const satisfies Record<string, keyof WechatAuthOptions>

/** The variables read, `METRICS_PORT` and `METRICS_HOST` included. */
export const ENV_KEYS = [...Object.keys(ENV_OPTIONS), 'METRICS_PORT', 'METRICS_HOST'] as const

/** Options that are whole numbers: the environment carries them as digits. */
const NUMBER_OPTIONS = new Set<string>([
  'authRateLimit',
  'authRateLimitPerIp',
  'exchangeRateLimit',
  'exchangeRateLimitPerIp',
  'exchangeConcurrency',
])

/** `sqlite:./data/x.sqlite` → `sqlite:/abs/data/x.sqlite`, relative paths against `cwd`. */
function resolveDatabaseUrl(url: string, cwd: string): string {
  if (!url.startsWith('sqlite:')) return url
  const path = url.slice('sqlite:'.length)
  if (path === ':memory:') return url
  return `sqlite:${isAbsolute(path) ? path : resolve(cwd, path)}`
}

/** A problem of the options, in the environment's words (`appId` → `WECHAT_APPID`). */
function inEnvTerms(problem: string): string {
  if (problem.startsWith('metrics ')) {
    return 'METRICS_HOST must be an address to listen on, like 127.0.0.1 or 0.0.0.0'
  }
  let out = problem
  for (const [variable, option] of Object.entries(ENV_OPTIONS)) {
    out = out.replace(new RegExp(`\\b${option}\\b`, 'g'), variable)
  }
  return out
}

/**
 * The options `env` sets, on top of `base` (the app's own choices, such as `subscription: true`),
 * and every problem with them, named by variable. Nothing is opened.
 */
export function optionsFromEnv(
  env: Record<string, string | undefined>,
  opts: { cwd?: string; base?: Partial<WechatAuthOptions> } = {},
): { options: WechatAuthOptions; problems: string[] } {
  const cwd = opts.cwd ?? process.cwd()
  const problems: string[] = []
  const options: Record<string, unknown> = { ...opts.base }
  const read = (key: string) => (env[key] === '' ? undefined : env[key])
  for (const [variable, option] of Object.entries(ENV_OPTIONS)) {
    const value = read(variable)
    if (value === undefined) continue
    if (NUMBER_OPTIONS.has(option)) {
      if (/^[0-9]{1,7}$/.test(value)) options[option] = Number(value)
      else problems.push(`${variable} must be a whole number`)
    } else if (option === 'databaseUrl') {
      options[option] = resolveDatabaseUrl(value, cwd)
    } else if (option === 'mpVerifyDir') {
      options[option] = resolve(cwd, value)
    } else {
      options[option] = value
    }
  }
  const metricsPort = read('METRICS_PORT')
  const metricsHost = read('METRICS_HOST')
  if (metricsHost !== undefined && metricsPort === undefined) {
    problems.push('METRICS_HOST needs METRICS_PORT (metrics are off without a port)')
  } else if (metricsPort !== undefined) {
    const port = Number(metricsPort)
    const portOk = /^[0-9]{1,5}$/.test(metricsPort) && port <= 65535
    if (!portOk) problems.push('METRICS_PORT must be a TCP port, 0 to 65535')
    // With a bad port, 0 stands in so the host is still checked by the plugin's own rule.
    options.metrics = {
      port: portOk ? port : 0,
      ...(metricsHost === undefined ? {} : { host: metricsHost }),
    }
  }
  try {
    resolveOptions(options as unknown as WechatAuthOptions)
  } catch (error) {
    if (!(error instanceof WechatAuthOptionsError)) throw error
    problems.push(...error.problems.map(inEnvTerms))
  }
  // Listed by variable, so an operator finds each one where the .env file has it.
  problems.sort()
  return { options: options as unknown as WechatAuthOptions, problems }
}
