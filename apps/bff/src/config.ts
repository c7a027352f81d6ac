/**
 * The demo BFF's configuration: the environment, validated once at boot, mapped onto
 * `@wxauth/fastify`'s options plus the few settings of the process itself (static files, listening,
 * logging). The plugin checks its own options; a problem it finds is reported under the environment
 * variable's name, and every problem is listed in one error. Only `server.ts` passes `process.env`;
 * tests build a `Config` with {@link loadConfig} from a plain object.
 */
import { existsSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Type, { type TSchema } from 'typebox'
import { Value } from 'typebox/value'
import {
  WechatAuthOptionsError,
  resolveOptions,
  type LogLevel,
  type WechatAuthOptions,
} from '@wxauth/fastify'

export { parseDuration } from '@wxauth/fastify'

/** The validated configuration `buildApp` takes. No field is read from `process.env` after boot. */
export interface Config {
  /** `NODE_ENV === 'production'`. */
  production: boolean
  /**
   * The development defaults (the simulator's app, the repository's cookie secret) filled the unset
   * keys: only outside production, and only when no WeChat credential was given at all.
   */
  developmentDefaults: boolean
  /** The plugin's options (already checked). */
  wechatAuth: WechatAuthOptions
  /** The built SPA to serve; null: serve no SPA (API only). */
  staticDir: string | null
  /** Folder holding WeChat's `MP_verify_*.txt` domain-check files; null: none. */
  mpVerifyDir: string | null
  /** Serve the OpenAPI UI at `/docs` (OPENAPI_DOCS; default: everywhere but production). */
  openApiDocs: boolean
  /** Fastify's `trustProxy`: whose X-Forwarded-For to believe, so the limits key on real clients. */
  trustProxy: boolean | number | string
  host: string
  port: number
  logLevel: LogLevel
  /** `pretty` (pino-pretty, when installed) or `json`; default pretty on a terminal in development. */
  logFormat: 'pretty' | 'json' | null
}

/** Thrown by {@link loadConfig}; `problems` lists every bad or missing key. */
export class ConfigError extends Error {
  readonly problems: string[]

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

/** Each plugin option and the environment variable that sets it. */
const PLUGIN_KEYS = {
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
} as const satisfies Record<string, keyof WechatAuthOptions>
/** The plugin options that are whole numbers (the environment carries them as digits). */
const NUMBER_KEYS = new Set<string>([
  'AUTH_RATE_LIMIT',
  'AUTH_RATE_LIMIT_PER_IP',
  'EXCHANGE_RATE_LIMIT',
  'EXCHANGE_RATE_LIMIT_PER_IP',
  'EXCHANGE_CONCURRENCY',
])
type PluginKey = keyof typeof PLUGIN_KEYS

/** The process's own keys, with the description used in error messages and in `.env.example`. */
const PER_MINUTE = Type.Optional(
  Type.String({
    pattern: '^[0-9]{1,6}$',
    description: 'a whole number of requests per minute (0: off)',
  }),
)

const ProcessEnvSchema = Type.Object({
  AUTH_RATE_LIMIT: PER_MINUTE,
  AUTH_RATE_LIMIT_PER_IP: PER_MINUTE,
  EXCHANGE_RATE_LIMIT: PER_MINUTE,
  EXCHANGE_RATE_LIMIT_PER_IP: PER_MINUTE,
  EXCHANGE_CONCURRENCY: Type.Optional(
    Type.String({ pattern: '^[0-9]{1,5}$', description: 'a whole number (0: no cap)' }),
  ),
  TRUST_PROXY: Type.Optional(
    Type.String({
      pattern: '^(true|false|[0-9]{1,2}|[0-9a-fA-F.:/, ]+)$',
      description: 'true, false, a hop count, or comma-separated proxy IPs/CIDRs',
    }),
  ),
  OPENAPI_DOCS: Type.Optional(
    Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'true or false' }),
  ),
  STATIC_DIR: Type.Optional(Type.String({ minLength: 1 })),
  MP_VERIFY_DIR: Type.Optional(Type.String({ minLength: 1 })),
  HOST: Type.Optional(Type.String({ minLength: 1 })),
  PORT: Type.Optional(
    Type.String({ pattern: '^[0-9]{1,5}$', description: 'a TCP port, 0 to 65535' }),
  ),
  LOG_FORMAT: Type.Optional(
    Type.Union([Type.Literal('pretty'), Type.Literal('json')], { description: 'pretty or json' }),
  ),
  METRICS_PORT: Type.Optional(
    Type.String({ pattern: '^[0-9]{1,5}$', description: 'a TCP port, 0 to 65535' }),
  ),
  METRICS_HOST: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9.:_-]{1,253}$',
      description: 'an address to listen on, like 127.0.0.1 or 0.0.0.0',
    }),
  ),
  LOG_LEVEL: Type.Optional(
    Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { description: 'one of fatal, error, warn, info, debug, trace, silent' },
    ),
  ),
})

/** Every key the BFF reads; anything else in the environment is ignored. */
export const ENV_KEYS = [
  'NODE_ENV',
  ...Object.keys(PLUGIN_KEYS),
  ...Object.keys(ProcessEnvSchema.properties),
] as const

/** Where the simulator's default app lives (`pnpm dev`, packages/mock-wechat). */
const SIMULATOR_URL = 'http://127.0.0.1:3100'

/**
 * Development defaults: the simulator's default app, the Vite dev server as the public origin.
 * Used only when NODE_ENV is not production and neither WECHAT_APPID nor WECHAT_SECRET is set, so
 * `pnpm dev` needs nothing; as soon as a real credential is given, no default applies (a real
 * AppSecret beside the repository's public cookie secret would let anyone forge a login, and beside
 * the simulator's http base it would travel in clear text).
 */
export const DEV_DEFAULTS: Partial<Record<PluginKey, string>> = {
  WECHAT_APPID: 'wx5f3c1a9e2b7d4f60',
  WECHAT_SECRET: 'mock-secret-for-local-development-only',
  PUBLIC_URL: 'http://127.0.0.1:5173',
  COOKIE_SECRET: 'development-only-cookie-secret-change-me-in-production',
  WECHAT_API_BASE: SIMULATOR_URL,
  WECHAT_OPEN_BASE: SIMULATOR_URL,
}

/**
 * The built SPA, found relative to this module (src/ or dist/ sit one level below apps/bff), so
 * `pnpm start` from any folder serves it.
 */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url))

/** `TRUST_PROXY` → Fastify's `trustProxy`: a boolean, a hop count, or the proxies' addresses. */
function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false
  if (value === 'true') return true
  return /^[0-9]+$/.test(value) ? Number(value) : value
}

/** `sqlite:./data/x.sqlite` → `sqlite:/abs/data/x.sqlite`, relative paths against `cwd`. */
function resolveDatabaseUrl(url: string, cwd: string): string {
  if (!url.startsWith('sqlite:')) return url
  const path = url.slice('sqlite:'.length)
  if (path === ':memory:') return url
  return `sqlite:${isAbsolute(path) ? path : resolve(cwd, path)}`
}

/** The plugin's problem messages in the environment's words (`appId` → `WECHAT_APPID`). */
function inEnvTerms(problem: string): string {
  let out = problem
  for (const [env, option] of Object.entries(PLUGIN_KEYS)) {
    out = out.replace(new RegExp(`\\b${option}\\b`, 'g'), env)
  }
  return out
}

function processProblems(raw: Record<string, string>): string[] {
  const problems: string[] = []
  const properties = ProcessEnvSchema.properties as Record<
    string,
    TSchema & { description?: string }
  >
  for (const [key, schema] of Object.entries(properties)) {
    const value = raw[key]
    if (value !== undefined && !Value.Check(schema, value)) {
      problems.push(`${key} must be ${schema.description ?? 'valid'}`)
    }
  }
  for (const key of ['PORT', 'METRICS_PORT'] as const) {
    const value = raw[key]
    if (value !== undefined && /^[0-9]+$/.test(value) && Number(value) > 65535) {
      problems.push(`${key} must be ${properties[key]?.description}`)
    }
  }
  if (raw.METRICS_HOST !== undefined && raw.METRICS_PORT === undefined) {
    problems.push('METRICS_HOST needs METRICS_PORT (metrics are off without a port)')
  }
  return problems
}

/**
 * Validate the environment and turn it into a {@link Config}. Throws one {@link ConfigError}
 * listing every problem. Empty strings count as unset. Relative paths (the SQLite file,
 * STATIC_DIR, MP_VERIFY_DIR) resolve against `cwd` (default `process.cwd()`).
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  opts: { cwd?: string } = {},
): Config {
  const cwd = opts.cwd ?? process.cwd()
  const production = env.NODE_ENV === 'production'
  const raw: Record<string, string> = {}
  for (const key of ENV_KEYS) {
    const value = env[key]
    if (value !== undefined && value !== '') raw[key] = value
  }
  const credentialsGiven = raw.WECHAT_APPID !== undefined || raw.WECHAT_SECRET !== undefined
  const developmentDefaults = !production && !credentialsGiven
  if (developmentDefaults) {
    for (const [key, value] of Object.entries(DEV_DEFAULTS)) raw[key] ??= value
  }
  // The plugin's default file, but relative to `cwd`, where the process runs.
  raw.DATABASE_URL ??= 'sqlite:./data/wxauth.sqlite'

  const problems = processProblems(raw)
  const options: Record<string, unknown> = { subscription: true, jssdk: true, healthRoutes: true }
  for (const [env, option] of Object.entries(PLUGIN_KEYS)) {
    const value = raw[env]
    if (value === undefined) continue
    if (NUMBER_KEYS.has(env)) {
      // A malformed value is reported once, by the process schema above.
      if (/^[0-9]{1,6}$/.test(value)) options[option] = Number(value)
    } else if (env === 'DATABASE_URL') {
      options[option] = resolveDatabaseUrl(value, cwd)
    } else {
      options[option] = value
    }
  }
  // Metrics on a listener of their own, only when asked for (never on PORT), and only well-formed
  // (a bad METRICS_* was reported above in the environment's words).
  if (raw.METRICS_PORT !== undefined && !problems.some((p) => p.startsWith('METRICS_'))) {
    options.metrics = {
      port: Number(raw.METRICS_PORT),
      ...(raw.METRICS_HOST === undefined ? {} : { host: raw.METRICS_HOST }),
    }
  }
  try {
    resolveOptions(options as unknown as WechatAuthOptions)
  } catch (error) {
    if (!(error instanceof WechatAuthOptionsError)) throw error
    for (const problem of error.problems.map(inEnvTerms)) {
      // Say why it is required even outside production: the development default is public.
      problems.push(
        credentialsGiven && !production && problem.startsWith('COOKIE_SECRET is required')
          ? 'COOKIE_SECRET is required once WECHAT_APPID or WECHAT_SECRET is set (at least 32 random characters; the development default is public, so anyone could forge a login)'
          : problem,
      )
    }
  }
  if (!developmentDefaults && raw.COOKIE_SECRET === DEV_DEFAULTS.COOKIE_SECRET) {
    problems.push(
      production
        ? 'COOKIE_SECRET must not be the development default in production'
        : 'COOKIE_SECRET must not be the development default beside real WeChat credentials',
    )
  }
  if (problems.length > 0) throw new ConfigError(problems)

  const staticDir = raw.STATIC_DIR
    ? resolve(cwd, raw.STATIC_DIR)
    : existsSync(DEFAULT_STATIC_DIR)
      ? DEFAULT_STATIC_DIR
      : null
  return {
    production,
    developmentDefaults,
    wechatAuth: options as unknown as WechatAuthOptions,
    staticDir,
    mpVerifyDir: raw.MP_VERIFY_DIR ? resolve(cwd, raw.MP_VERIFY_DIR) : null,
    // The API's full shape is no secret, but in production it is shown only when asked for.
    openApiDocs: raw.OPENAPI_DOCS === undefined ? !production : raw.OPENAPI_DOCS === 'true',
    trustProxy: parseTrustProxy(raw.TRUST_PROXY),
    host: raw.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    port: raw.PORT === undefined ? 3000 : Number(raw.PORT),
    logLevel: (raw.LOG_LEVEL as LogLevel | undefined) ?? 'info',
    logFormat: (raw.LOG_FORMAT as 'pretty' | 'json' | undefined) ?? null,
  }
}
