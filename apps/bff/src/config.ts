/**
 * The BFF's configuration (DESIGN.md §5): a TypeBox schema of the environment, validated once at boot.
 * Every missing or malformed key is reported in one error, so an operator fixes them all in one go.
 * Only `server.ts` passes `process.env` in; tests build a `Config` with {@link loadConfig} from a plain object.
 */
import { existsSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Type, { type Static, type TSchema } from 'typebox'
import { Value } from 'typebox/value'

export type WechatLang = 'zh_CN' | 'zh_TW' | 'en'
/** Where the account-wide access token comes from: `cgi-bin/stable_token` or `cgi-bin/token`. */
export type GlobalTokenSource = 'stable' | 'classic'
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

/** The validated configuration `buildApp` takes. No field is read from `process.env` after boot. */
export interface Config {
  /** `NODE_ENV === 'production'`: no development defaults. */
  production: boolean
  wechatAppId: string
  wechatSecret: string
  /** Without a trailing slash. */
  wechatApiBase: string
  /** Without a trailing slash. */
  wechatOpenBase: string
  wechatLang: WechatLang
  /**
   * `stable` (default): `cgi-bin/stable_token` in normal mode. `classic`: `cgi-bin/token`, for
   * accounts that need it; then nothing else may call `cgi-bin/token` for this appid.
   */
  wechatGlobalToken: GlobalTokenSource
  /** The account's QR image, shown to users who do not follow it; null: none. */
  wechatAccountQrUrl: string | null
  /** The SPA's origin (plus an optional base path) as users see it, without a trailing slash. */
  publicUrl: string
  /** Cookies get `Secure` when PUBLIC_URL is https. */
  secureCookies: boolean
  /** Signs the session and state cookies; the key that encrypts stored web tokens is derived from it. */
  cookieSecret: string
  sessionTtlSeconds: number
  profileTtlSeconds: number
  /** How long a user's follower status (`cgi-bin/user/info`) is reused. */
  subscriptionTtlSeconds: number
  /** `sqlite:<absolute path>`, `sqlite::memory:` or `postgres://…`. */
  databaseUrl: string
  redisUrl: string | null
  /** The built SPA to serve; null: serve no SPA (API only). */
  staticDir: string | null
  /** Folder holding WeChat's `MP_verify_*.txt` domain-check files; null: none. */
  mpVerifyDir: string | null
  /**
   * Authorize URLs one client (IP) may ask for per minute; 0: no limit. Every one is a trip to
   * WeChat, which blocks a client that authorizes too often (10009 操作太频繁了).
   */
  authRateLimit: number
  /** Fastify's `trustProxy`: whose X-Forwarded-For to believe, so the limit keys on the real client. */
  trustProxy: boolean | number | string
  host: string
  port: number
  logLevel: LogLevel
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

/**
 * A duration: whole seconds (`86400`) or a number with a unit (`30m`, `24h`, `7d`, `45s`).
 */
const DURATION = '^[0-9]+[smhd]?$'
const HTTP_URL = '^https?://[^\\s]+$'

/** Each key, with the description used both in error messages and in `.env.example`. */
export const EnvSchema = Type.Object({
  NODE_ENV: Type.Optional(Type.String()),
  WECHAT_APPID: Type.String({
    pattern: '^wx[0-9a-zA-Z]{16}$',
    description: 'the Official Account AppID, "wx" + 16 letters or digits',
  }),
  WECHAT_SECRET: Type.String({
    pattern: '^[\\x21-\\x7e]{8,128}$',
    description: 'the AppSecret (printable ASCII, no spaces)',
  }),
  PUBLIC_URL: Type.String({
    pattern: HTTP_URL,
    description: "the SPA's origin as users see it, e.g. https://h5.example.com",
  }),
  COOKIE_SECRET: Type.String({
    minLength: 32,
    description: 'at least 32 characters of random text',
  }),
  WECHAT_API_BASE: Type.Optional(Type.String({ pattern: HTTP_URL, description: 'an http(s) URL' })),
  WECHAT_OPEN_BASE: Type.Optional(
    Type.String({ pattern: HTTP_URL, description: 'an http(s) URL' }),
  ),
  WECHAT_LANG: Type.Optional(
    Type.Union([Type.Literal('zh_CN'), Type.Literal('zh_TW'), Type.Literal('en')], {
      description: 'one of zh_CN, zh_TW, en',
    }),
  ),
  WECHAT_GLOBAL_TOKEN: Type.Optional(
    Type.Union([Type.Literal('stable'), Type.Literal('classic')], {
      description: 'stable or classic',
    }),
  ),
  WECHAT_ACCOUNT_QR_URL: Type.Optional(
    Type.String({ pattern: HTTP_URL, description: "an http(s) URL of the account's QR image" }),
  ),
  SESSION_TTL: Type.Optional(
    Type.String({ pattern: DURATION, description: 'seconds, or a number with s/m/h/d (e.g. 7d)' }),
  ),
  PROFILE_TTL: Type.Optional(
    Type.String({ pattern: DURATION, description: 'seconds, or a number with s/m/h/d (e.g. 24h)' }),
  ),
  SUBSCRIPTION_TTL: Type.Optional(
    Type.String({ pattern: DURATION, description: 'seconds, or a number with s/m/h/d (e.g. 5m)' }),
  ),
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^(sqlite:.+|postgres(ql)?://.+)$',
      description: 'sqlite:<path> or postgres://…',
    }),
  ),
  REDIS_URL: Type.Optional(
    Type.String({ pattern: '^rediss?://.+$', description: 'redis://… or rediss://…' }),
  ),
  AUTH_RATE_LIMIT: Type.Optional(
    Type.String({ pattern: '^[0-9]{1,6}$', description: 'a whole number of requests per minute' }),
  ),
  TRUST_PROXY: Type.Optional(
    Type.String({
      pattern: '^(true|false|[0-9]{1,2}|[0-9a-fA-F.:/, ]+)$',
      description: 'true, false, a hop count, or comma-separated proxy IPs/CIDRs',
    }),
  ),
  STATIC_DIR: Type.Optional(Type.String({ minLength: 1 })),
  MP_VERIFY_DIR: Type.Optional(Type.String({ minLength: 1 })),
  HOST: Type.Optional(Type.String({ minLength: 1 })),
  PORT: Type.Optional(
    Type.String({ pattern: '^[0-9]{1,5}$', description: 'a TCP port, 0 to 65535' }),
  ),
  LOG_LEVEL: Type.Optional(
    Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { description: 'one of fatal, error, warn, info, debug, trace, silent' },
    ),
  ),
})
export type Env = Static<typeof EnvSchema>

/** Every key the BFF reads; anything else in the environment is ignored. */
export const ENV_KEYS = Object.keys(EnvSchema.properties) as Array<keyof Env>

/** Where the simulator's default app lives (`pnpm dev`, packages/mock-wechat). */
const SIMULATOR_URL = 'http://127.0.0.1:3100'

/**
 * Development defaults (NODE_ENV !== 'production'): the simulator's default app, the Vite dev server
 * as the public origin. Off in production, where a missing key fails the boot.
 */
export const DEV_DEFAULTS: Partial<Record<keyof Env, string>> = {
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

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 }

/** `'7d'` → 604800; `'90'` → 90. Assumes {@link DURATION} matched. */
export function parseDuration(text: string): number {
  const match = /^([0-9]+)([smhd]?)$/.exec(text)
  if (!match) return Number.NaN
  return Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] ?? 1)
}

/** `TRUST_PROXY` → Fastify's `trustProxy`: a boolean, a hop count, or the proxies' addresses. */
function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false
  if (value === 'true') return true
  return /^[0-9]+$/.test(value) ? Number(value) : value
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}

/** `sqlite:./data/x.sqlite` → `sqlite:/abs/data/x.sqlite`, relative paths against `cwd`. */
function resolveDatabaseUrl(url: string, cwd: string): string {
  if (!url.startsWith('sqlite:')) return url
  const path = url.slice('sqlite:'.length)
  if (path === ':memory:') return url
  return `sqlite:${isAbsolute(path) ? path : resolve(cwd, path)}`
}

function messageFor(key: string): string {
  const schema = (EnvSchema.properties as Record<string, { description?: string }>)[key]
  return schema?.description ? `must be ${schema.description}` : 'is malformed'
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
  if (!production) {
    for (const [key, value] of Object.entries(DEV_DEFAULTS)) raw[key] ??= value
  }

  // Key by key, so every problem is reported (a whole-object check stops after a few errors).
  const problems = new Map<string, string>()
  const required = new Set<string>(EnvSchema.required ?? [])
  const properties = EnvSchema.properties as Record<string, TSchema>
  for (const key of ENV_KEYS) {
    const value = raw[key]
    const schema = properties[key]
    if (value === undefined) {
      if (required.has(key)) problems.set(key, `${key} is required (${messageFor(key)})`)
    } else if (schema && !Value.Check(schema, value)) {
      problems.set(key, `${key} ${messageFor(key)}`)
    }
  }

  const urlKeys = ['PUBLIC_URL', 'WECHAT_API_BASE', 'WECHAT_OPEN_BASE'] as const
  for (const key of urlKeys) {
    const value = raw[key]
    if (value === undefined || problems.has(key)) continue
    let parsed: URL
    try {
      parsed = new URL(value)
    } catch {
      problems.set(key, `${key} must be a valid URL`)
      continue
    }
    if (parsed.search || parsed.hash || parsed.username || parsed.password) {
      problems.set(key, `${key} must not carry a query, a fragment or credentials`)
    }
  }
  if (raw.PORT !== undefined && !problems.has('PORT') && Number(raw.PORT) > 65535) {
    problems.set('PORT', `PORT ${messageFor('PORT')}`)
  }
  const qrUrl = raw.WECHAT_ACCOUNT_QR_URL
  if (qrUrl !== undefined && !problems.has('WECHAT_ACCOUNT_QR_URL') && !URL.canParse(qrUrl)) {
    problems.set('WECHAT_ACCOUNT_QR_URL', 'WECHAT_ACCOUNT_QR_URL must be a valid URL')
  }
  for (const key of ['SESSION_TTL', 'PROFILE_TTL', 'SUBSCRIPTION_TTL'] as const) {
    const value = raw[key]
    if (value !== undefined && !problems.has(key) && parseDuration(value) <= 0) {
      problems.set(key, `${key} must be longer than zero`)
    }
  }
  // Distributed mode is Redis + PostgreSQL: the SQLite file is held by one process (exclusive lock),
  // so Redis beside it would only add a network hop to a single instance.
  if (
    raw.REDIS_URL !== undefined &&
    !problems.has('REDIS_URL') &&
    !problems.has('DATABASE_URL') &&
    !/^postgres(ql)?:\/\//.test(raw.DATABASE_URL ?? '')
  ) {
    problems.set(
      'REDIS_URL',
      'REDIS_URL needs a postgres:// DATABASE_URL (distributed mode runs on Redis and PostgreSQL; the SQLite file serves one process)',
    )
  }
  if (production && raw.COOKIE_SECRET === DEV_DEFAULTS.COOKIE_SECRET) {
    problems.set('COOKIE_SECRET', 'COOKIE_SECRET must not be the development default in production')
  }
  if (problems.size > 0) throw new ConfigError([...problems.values()])

  const env_ = raw as unknown as Env
  const staticDir = env_.STATIC_DIR
    ? resolve(cwd, env_.STATIC_DIR)
    : existsSync(DEFAULT_STATIC_DIR)
      ? DEFAULT_STATIC_DIR
      : null
  const publicUrl = trimSlash(env_.PUBLIC_URL)
  return {
    production,
    wechatAppId: env_.WECHAT_APPID,
    wechatSecret: env_.WECHAT_SECRET,
    wechatApiBase: trimSlash(env_.WECHAT_API_BASE ?? 'https://api.weixin.qq.com'),
    wechatOpenBase: trimSlash(env_.WECHAT_OPEN_BASE ?? 'https://open.weixin.qq.com'),
    wechatLang: env_.WECHAT_LANG ?? 'zh_CN',
    wechatGlobalToken: env_.WECHAT_GLOBAL_TOKEN ?? 'stable',
    wechatAccountQrUrl: env_.WECHAT_ACCOUNT_QR_URL ?? null,
    publicUrl,
    secureCookies: publicUrl.startsWith('https:'),
    cookieSecret: env_.COOKIE_SECRET,
    sessionTtlSeconds: parseDuration(env_.SESSION_TTL ?? '7d'),
    profileTtlSeconds: parseDuration(env_.PROFILE_TTL ?? '24h'),
    subscriptionTtlSeconds: parseDuration(env_.SUBSCRIPTION_TTL ?? '5m'),
    databaseUrl: resolveDatabaseUrl(env_.DATABASE_URL ?? 'sqlite:./data/wxauth.sqlite', cwd),
    redisUrl: env_.REDIS_URL ?? null,
    staticDir,
    mpVerifyDir: env_.MP_VERIFY_DIR ? resolve(cwd, env_.MP_VERIFY_DIR) : null,
    authRateLimit: env_.AUTH_RATE_LIMIT === undefined ? 30 : Number(env_.AUTH_RATE_LIMIT),
    trustProxy: parseTrustProxy(env_.TRUST_PROXY),
    host: env_.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    port: env_.PORT === undefined ? 3000 : Number(env_.PORT),
    logLevel: (env_.LOG_LEVEL as LogLevel | undefined) ?? 'info',
  }
}
