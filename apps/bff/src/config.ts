/**
 * The demo BFF's configuration: the environment, validated once at boot. The login's keys become
 * `@wxauth/fastify`'s options through the plugin's own `optionsFromEnv` (its rules, problems named
 * by variable); this module adds the development defaults and the process's own settings (static
 * files, docs, listening, logging). Every problem is listed in one error. Only `server.ts` passes
 * `process.env`; tests build a `Config` with {@link loadConfig} from a plain object.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Type, { type TSchema } from 'typebox'
import { Value } from 'typebox/value'
import {
  ENV_KEYS as PLUGIN_ENV_KEYS,
  optionsFromEnv,
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

const ProcessEnvSchema = Type.Object({
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
  HOST: Type.Optional(Type.String({ minLength: 1 })),
  PORT: Type.Optional(
    Type.String({ pattern: '^[0-9]{1,5}$', description: 'a TCP port, 0 to 65535' }),
  ),
  LOG_FORMAT: Type.Optional(
    Type.Union([Type.Literal('pretty'), Type.Literal('json')], { description: 'pretty or json' }),
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
  ...PLUGIN_ENV_KEYS,
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
export const DEV_DEFAULTS: Partial<Record<(typeof PLUGIN_ENV_KEYS)[number], string>> = {
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
  if (raw.PORT !== undefined && /^[0-9]+$/.test(raw.PORT) && Number(raw.PORT) > 65535) {
    problems.push(`PORT must be ${properties.PORT?.description}`)
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
    for (const [key, value] of Object.entries(DEV_DEFAULTS)) if (value) raw[key] ??= value
  }
  // The plugin's default file, but relative to `cwd`, where the process runs.
  raw.DATABASE_URL ??= 'sqlite:./data/wxauth.sqlite'

  const problems = processProblems(raw)
  const login = optionsFromEnv(raw, {
    cwd,
    // What the demo uses beyond the login: the follow card, the share card, a load balancer's probes.
    base: { subscription: true, jssdk: true, healthRoutes: true },
  })
  for (const problem of login.problems) {
    // Say why it is required even outside production: the development default is public.
    problems.push(
      credentialsGiven && !production && problem.startsWith('COOKIE_SECRET is required')
        ? 'COOKIE_SECRET is required once WECHAT_APPID or WECHAT_SECRET is set (at least 32 random characters; the development default is public, so anyone could forge a login)'
        : problem,
    )
  }
  if (!developmentDefaults && raw.COOKIE_SECRET === DEV_DEFAULTS.COOKIE_SECRET) {
    problems.push(
      production
        ? 'COOKIE_SECRET must not be the development default in production'
        : 'COOKIE_SECRET must not be the development default beside real WeChat credentials',
    )
  }
  if (problems.length > 0) throw new ConfigError(problems.sort())

  const staticDir = raw.STATIC_DIR
    ? resolve(cwd, raw.STATIC_DIR)
    : existsSync(DEFAULT_STATIC_DIR)
      ? DEFAULT_STATIC_DIR
      : null
  return {
    production,
    developmentDefaults,
    wechatAuth: login.options,
    staticDir,
    // The API's full shape is no secret, but in production it is shown only when asked for.
    openApiDocs: raw.OPENAPI_DOCS === undefined ? !production : raw.OPENAPI_DOCS === 'true',
    trustProxy: parseTrustProxy(raw.TRUST_PROXY),
    host: raw.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    port: raw.PORT === undefined ? 3000 : Number(raw.PORT),
    logLevel: (raw.LOG_LEVEL as LogLevel | undefined) ?? 'info',
    logFormat: (raw.LOG_FORMAT as 'pretty' | 'json' | undefined) ?? null,
  }
}
