/**
 * The plugin's options: what an adopter passes to `app.register(wechatAuth, options)`, checked once at
 * registration. Every bad or unknown key is reported in one `WechatAuthOptionsError`, so a
 * misconfiguration is fixed in one go, and nothing is opened (no database, no Redis) before the
 * options are known to be good. `resolveOptions` turns them into the `Settings` the rest of the
 * plugin reads; nothing else looks at the raw options.
 */
import { isAbsolute, resolve } from 'node:path'
import type { Migration } from 'kysely'
import Type, { type Static } from 'typebox'
import { Value } from 'typebox/value'
import type { WechatClientOptions } from '@wxauth/wechat'

/** Seconds (`86400`) or a number with a unit: `45s`, `30m`, `24h`, `7d`. */
export type Duration = number | `${number}${'s' | 'm' | 'h' | 'd'}`

/** What the plugin reads from `sns/userinfo` in (`lang`). */
export type WechatLang = 'zh_CN' | 'zh_TW' | 'en'

/** Where the account-wide access token comes from: `cgi-bin/stable_token` or `cgi-bin/token`. */
export type GlobalTokenSource = 'stable' | 'classic'

/** Everything `app.register(wechatAuth, options)` accepts. */
export interface WechatAuthOptions {
  /** The Official Account's AppID (`wx` + 16 letters or digits). */
  appId: string
  /** The AppSecret. Never leaves the server: not in a response, a log line or a metric. */
  secret: string
  /** The SPA's origin (plus an optional base path) as users see it; `redirect_uri` = this + `returnTo`. */
  publicUrl: string
  /** At least 32 characters: signs the cookies and derives the key that encrypts stored web tokens. */
  cookieSecret: string
  /** `sqlite:<path>` (default `sqlite:./data/wxauth.sqlite`) or `postgres://…`. */
  databaseUrl?: string
  /** With a `postgres://` database: Redis holds sessions, code outcomes, locks and token caches (N instances). */
  redisUrl?: string
  /** Default `https://api.weixin.qq.com`; the simulator in development (plain http: loopback only). */
  wechatApiBase?: string
  /** Default `https://open.weixin.qq.com`; the simulator in development (plain http: loopback only). */
  wechatOpenBase?: string
  /** Where the auth routes live. Default `/api`. */
  prefix?: string
  /** `lang` for `sns/userinfo`. Default `zh_CN`. */
  lang?: WechatLang
  /** Session lifetime. Default `7d`. */
  sessionTtl?: Duration
  /** How long a stored profile saves the `sns/userinfo` call on a userinfo login. Default `24h`. */
  profileTtl?: Duration
  /** `stable` (default: `cgi-bin/stable_token`) or `classic` (`cgi-bin/token`). */
  globalToken?: GlobalTokenSource
  /**
   * Authorize URLs one browser (the plugin's browser-id cookie) may ask for per minute; 429
   * `RATE_LIMITED` past it; 0: off. Default 10: a looping page stops long before WeChat's 10009.
   * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
   */
  authRateLimit?: number
  /**
   * Authorize URLs one client IP may ask for per minute, whatever its browsers; 0: off. Default 600:
   * hundreds of users behind one NAT are never refused, a script that drops cookies still is.
   */
  authRateLimitPerIp?: number
  /**
   * Code exchanges (calls to `sns/oauth2/access_token`) one browser may cause per minute; a request
   * joining an exchange in flight or a cached outcome does not count. 0: off. Default 10.
   */
  exchangeRateLimit?: number
  /** Code exchanges one client IP may cause per minute; 0: off. Default 600. */
  exchangeRateLimitPerIp?: number
  /**
   * Code exchanges this process runs against WeChat at once; as many more may wait, the rest get 429
   * `RATE_LIMITED` without calling WeChat. 0: no cap. Default 50: at WeChat's usual ~100 ms, about
   * 30,000 a minute per instance, under the account's 50,000/min quota (past it: 45011 for all).
   * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsaccesstoken
   */
  exchangeConcurrency?: number
  /** Adds `GET {prefix}/me/subscription`: does the user follow the Official Account? Default off. */
  subscription?: boolean
  /** How long a user's follower status is reused before `cgi-bin/user/info` is asked again. Default `5m`. */
  subscriptionTtl?: Duration
  /** The account's QR image, sent by `me/subscription` to users who do not follow it. Default: none. */
  accountQrUrl?: string
  /** Adds `GET {prefix}/jssdk/config` (wx.config signatures). Default off. */
  jssdk?: boolean
  /** Adds `GET /healthz` (liveness) and `GET /readyz` (the stores answer) at the root. Default off. */
  healthRoutes?: boolean
  /** A folder of WeChat's `MP_verify_*.txt` domain-check files, served at the root. Default none. */
  mpVerifyDir?: string
  /**
   * The app's own migrations (Kysely's `{ up, down }`), run in name order after the plugin's, with
   * their own bookkeeping table, so a business table can reference `users.id`.
   */
  migrations?: Record<string, Migration>
  /** Prefix of every Redis key and channel. Default `wxauth:`. */
  redisKeyPrefix?: string
  /**
   * Install the error contract (`{ statusCode, code, message }`) as the app's error and not-found
   * handler. Default true; set false when the app has its own (see `errorBody`).
   */
  errorHandler?: boolean
  /**
   * Prometheus metrics on a listener of their own (docs/operating.md): `GET /metrics` on
   * `host:port` (host default `127.0.0.1`; port 0 picks a free one, see `app.wechatAuth.metrics`).
   * Never on the app's own port. Default: off.
   */
  metrics?: MetricsOptions
  /** The clock, epoch ms (tests). */
  now?: () => number
  /** The fetch the WeChat client uses (tests wrap it). */
  fetch?: typeof fetch
  /** WeChat client tuning: timeouts and retries. */
  wechat?: Partial<Pick<WechatClientOptions, 'timeoutMs' | 'retries' | 'retryBaseDelayMs'>>
}

/** Where the metrics listener listens. */
export interface MetricsOptions {
  /** TCP port; 0 picks a free one. */
  port: number
  /** Address to listen on. Default `127.0.0.1`: metrics are for the operator's scraper only. */
  host?: string
}

/** Thrown at registration; `problems` names every bad option. */
export class WechatAuthOptionsError extends Error {
  readonly problems: string[]

  constructor(problems: string[]) {
    super(`Invalid @wxauth/fastify options:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'WechatAuthOptionsError'
    this.problems = problems
  }
}

const HTTP_URL = '^https?://[^\\s]+$'
const DURATION = Type.Union([
  Type.Integer({ minimum: 1 }),
  Type.String({ pattern: '^[0-9]+[smhd]?$' }),
])

const PER_MINUTE = Type.Integer({
  minimum: 0,
  maximum: 1_000_000,
  description: 'a whole number per minute (0: off)',
})

/** Each option's shape, and the words an error message uses for it. */
const OptionsSchema = Type.Object({
  appId: Type.String({
    pattern: '^wx[0-9a-zA-Z]{16}$',
    description: 'the AppID, "wx" + 16 letters or digits',
  }),
  secret: Type.String({
    pattern: '^[\\x21-\\x7e]{8,128}$',
    description: 'the AppSecret (printable ASCII, no spaces)',
  }),
  publicUrl: Type.String({ pattern: HTTP_URL, description: 'an http(s) URL' }),
  cookieSecret: Type.String({ minLength: 32, description: 'at least 32 characters' }),
  databaseUrl: Type.Optional(
    Type.String({
      pattern: '^(sqlite:.+|postgres(ql)?://.+)$',
      description: 'sqlite:<path> or postgres://…',
    }),
  ),
  redisUrl: Type.Optional(
    Type.String({ pattern: '^rediss?://.+$', description: 'redis://… or rediss://…' }),
  ),
  wechatApiBase: Type.Optional(Type.String({ pattern: HTTP_URL, description: 'an http(s) URL' })),
  wechatOpenBase: Type.Optional(Type.String({ pattern: HTTP_URL, description: 'an http(s) URL' })),
  prefix: Type.Optional(
    Type.String({ pattern: '^(/[A-Za-z0-9._~-]+)*$', description: 'a path like /api, or ""' }),
  ),
  lang: Type.Optional(
    Type.Union([Type.Literal('zh_CN'), Type.Literal('zh_TW'), Type.Literal('en')], {
      description: 'zh_CN, zh_TW or en',
    }),
  ),
  sessionTtl: Type.Optional({ ...DURATION, description: 'seconds, or a number with s/m/h/d' }),
  profileTtl: Type.Optional({ ...DURATION, description: 'seconds, or a number with s/m/h/d' }),
  globalToken: Type.Optional(
    Type.Union([Type.Literal('stable'), Type.Literal('classic')], {
      description: 'stable or classic',
    }),
  ),
  authRateLimit: Type.Optional(PER_MINUTE),
  authRateLimitPerIp: Type.Optional(PER_MINUTE),
  exchangeRateLimit: Type.Optional(PER_MINUTE),
  exchangeRateLimitPerIp: Type.Optional(PER_MINUTE),
  exchangeConcurrency: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 10_000, description: 'a whole number, 0 to 10000' }),
  ),
  subscription: Type.Optional(Type.Boolean({ description: 'true or false' })),
  subscriptionTtl: Type.Optional({ ...DURATION, description: 'seconds, or a number with s/m/h/d' }),
  accountQrUrl: Type.Optional(
    Type.String({
      // An inline `data:image/…` works too: the image is only ever shown in an <img>.
      pattern: '^(https?://[^\\s]+|data:image/[a-z+.-]+[;,][^\\s]+)$',
      description: "an http(s) or data:image URL of the account's QR image",
    }),
  ),
  jssdk: Type.Optional(Type.Boolean({ description: 'true or false' })),
  healthRoutes: Type.Optional(Type.Boolean({ description: 'true or false' })),
  mpVerifyDir: Type.Optional(Type.String({ minLength: 1, description: 'a folder' })),
  redisKeyPrefix: Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9:_-]{1,64}$', description: 'letters, digits, : _ -' }),
  ),
  errorHandler: Type.Optional(Type.Boolean({ description: 'true or false' })),
  metrics: Type.Optional(
    Type.Object(
      {
        port: Type.Integer({ minimum: 0, maximum: 65535 }),
        host: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.:_-]{1,253}$' })),
      },
      {
        additionalProperties: false,
        description: '{ port: a TCP port 0 to 65535, host?: an address to listen on }',
      },
    ),
  ),
})
type CheckedOptions = Static<typeof OptionsSchema>

/** Options that are functions or objects of the adopter's: checked by type, not by schema. */
const FUNCTION_KEYS = ['now', 'fetch'] as const
const OBJECT_KEYS = ['migrations', 'wechat'] as const
const KNOWN_KEYS = new Set<string>([
  ...Object.keys(OptionsSchema.properties),
  ...FUNCTION_KEYS,
  ...OBJECT_KEYS,
])

/** What the plugin runs on: every option resolved, with its default. */
export interface Settings {
  appId: string
  secret: string
  /** Without a trailing slash. */
  publicUrl: string
  /** Cookies get `Secure` when publicUrl is https. */
  secureCookies: boolean
  cookieSecret: string
  /** `sqlite:<absolute path>`, `sqlite::memory:` or `postgres://…`. */
  databaseUrl: string
  redisUrl: string | null
  /** Without a trailing slash. */
  wechatApiBase: string
  /** Without a trailing slash. */
  wechatOpenBase: string
  /** `''` or `/api`-like, without a trailing slash. */
  prefix: string
  lang: WechatLang
  sessionTtlMs: number
  profileTtlMs: number
  globalToken: GlobalTokenSource
  authRateLimit: number
  authRateLimitPerIp: number
  exchangeRateLimit: number
  exchangeRateLimitPerIp: number
  exchangeConcurrency: number
  subscription: { ttlMs: number; accountQrUrl: string | null } | null
  jssdk: boolean
  healthRoutes: boolean
  /** Absolute, or null. */
  mpVerifyDir: string | null
  migrations: Record<string, Migration>
  redisKeyPrefix: string
  errorHandler: boolean
  /** The metrics listener's address; null: no metrics. */
  metrics: { port: number; host: string } | null
  now: () => number
  fetch: typeof fetch | undefined
  wechat: WechatAuthOptions['wechat']
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 }

/** `'7d'` → 604800, `90` → 90, `'90'` → 90 (seconds). NaN for anything else. */
export function parseDuration(value: Duration | string): number {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : Number.NaN
  const match = /^([0-9]+)([smhd]?)$/.exec(value)
  if (!match) return Number.NaN
  return Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] ?? 1)
}

/** `sqlite:./data/x.sqlite` → `sqlite:/abs/data/x.sqlite`, relative paths against the working directory. */
function resolveDatabaseUrl(url: string): string {
  if (!url.startsWith('sqlite:')) return url
  const path = url.slice('sqlite:'.length)
  if (path === ':memory:') return url
  return `sqlite:${isAbsolute(path) ? path : resolve(process.cwd(), path)}`
}

const trimSlash = (url: string) => url.replace(/\/+$/, '')

/** 127.0.0.0/8, ::1 or localhost: traffic that never leaves the machine. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase()
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127(\.[0-9]{1,3}){3}$/.test(host)
  )
}

function schemaProblems(options: Record<string, unknown>): string[] {
  const problems = new Map<string, string>()
  const props = OptionsSchema.properties as Record<string, { description?: string }>
  for (const error of Value.Errors(OptionsSchema, options)) {
    const path = error.instancePath.replace(/^\//, '').split('/')[0] ?? ''
    if (path === '') {
      // A missing required key is reported at the root.
      const missing = (error.params as { requiredProperties?: string[] }).requiredProperties ?? []
      for (const key of missing)
        problems.set(key, `${key} is required (${props[key]?.description})`)
      continue
    }
    if (!problems.has(path)) {
      problems.set(path, `${path} must be ${props[path]?.description ?? 'valid'}`)
    }
  }
  return [...problems.values()]
}

/** Check `options` (listing every problem at once) and resolve the defaults. */
export function resolveOptions(options: WechatAuthOptions): Settings {
  const raw = (options ?? {}) as unknown as Record<string, unknown>
  const problems: string[] = []
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) problems.push(`${key} is not an option of @wxauth/fastify`)
  }
  const checkable = Object.fromEntries(
    Object.entries(raw).filter(([k]) => k in OptionsSchema.properties),
  )
  problems.push(...schemaProblems(checkable))
  for (const key of FUNCTION_KEYS) {
    if (raw[key] !== undefined && typeof raw[key] !== 'function')
      problems.push(`${key} must be a function`)
  }
  for (const key of OBJECT_KEYS) {
    const value = raw[key]
    if (value !== undefined && (value === null || typeof value !== 'object')) {
      problems.push(`${key} must be an object`)
    }
  }
  const checked = checkable as CheckedOptions
  const failed = new Set(problems.map((p) => p.split(' ')[0]))
  for (const key of ['publicUrl', 'wechatApiBase', 'wechatOpenBase'] as const) {
    const value = checked[key]
    if (value === undefined || failed.has(key)) continue
    const parsed = URL.parse(value)
    if (parsed === null) problems.push(`${key} must be a valid URL`)
    else if (parsed.search || parsed.hash || parsed.username || parsed.password) {
      problems.push(`${key} must not carry a query, a fragment or credentials`)
    } else if (key !== 'publicUrl' && parsed.protocol === 'http:' && !isLoopback(parsed.hostname)) {
      // The AppSecret and every code travel to wechatApiBase: never in clear text over a network.
      // WeChat itself answers plain http with 43003 "require https".
      // https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html
      problems.push(
        `${key} must be https (plain http only for the simulator on a loopback host: 127.0.0.1, ::1, localhost)`,
      )
    }
  }
  if (checked.accountQrUrl !== undefined && !failed.has('accountQrUrl')) {
    if (!URL.canParse(checked.accountQrUrl)) problems.push('accountQrUrl must be a valid URL')
  }
  for (const key of ['sessionTtl', 'profileTtl', 'subscriptionTtl'] as const) {
    const value = checked[key]
    if (value !== undefined && !failed.has(key) && !(parseDuration(value) > 0)) {
      problems.push(`${key} must be longer than zero`)
    }
  }
  if (
    checked.redisUrl !== undefined &&
    !failed.has('redisUrl') &&
    !failed.has('databaseUrl') &&
    checked.databaseUrl?.startsWith('sqlite:') !== false
  ) {
    problems.push(
      'redisUrl needs a postgres:// databaseUrl (distributed mode runs on Redis and PostgreSQL; the SQLite file serves one process)',
    )
  }
  if (problems.length > 0) throw new WechatAuthOptionsError(problems)

  const publicUrl = trimSlash(checked.publicUrl)
  return {
    appId: checked.appId,
    secret: checked.secret,
    publicUrl,
    secureCookies: publicUrl.startsWith('https:'),
    cookieSecret: checked.cookieSecret,
    databaseUrl: resolveDatabaseUrl(checked.databaseUrl ?? 'sqlite:./data/wxauth.sqlite'),
    redisUrl: checked.redisUrl ?? null,
    wechatApiBase: trimSlash(checked.wechatApiBase ?? 'https://api.weixin.qq.com'),
    wechatOpenBase: trimSlash(checked.wechatOpenBase ?? 'https://open.weixin.qq.com'),
    prefix: trimSlash(checked.prefix ?? '/api'),
    lang: checked.lang ?? 'zh_CN',
    sessionTtlMs: parseDuration(checked.sessionTtl ?? '7d') * 1000,
    profileTtlMs: parseDuration(checked.profileTtl ?? '24h') * 1000,
    globalToken: checked.globalToken ?? 'stable',
    authRateLimit: checked.authRateLimit ?? 10,
    authRateLimitPerIp: checked.authRateLimitPerIp ?? 600,
    exchangeRateLimit: checked.exchangeRateLimit ?? 10,
    exchangeRateLimitPerIp: checked.exchangeRateLimitPerIp ?? 600,
    exchangeConcurrency: checked.exchangeConcurrency ?? 50,
    subscription: checked.subscription
      ? {
          ttlMs: parseDuration(checked.subscriptionTtl ?? '5m') * 1000,
          accountQrUrl: checked.accountQrUrl ?? null,
        }
      : null,
    jssdk: checked.jssdk ?? false,
    healthRoutes: checked.healthRoutes ?? false,
    mpVerifyDir:
      checked.mpVerifyDir === undefined ? null : resolve(process.cwd(), checked.mpVerifyDir),
    migrations: (raw.migrations as Record<string, Migration> | undefined) ?? {},
    redisKeyPrefix: checked.redisKeyPrefix ?? 'wxauth:',
    errorHandler: checked.errorHandler ?? true,
    metrics: checked.metrics
      ? { port: checked.metrics.port, host: checked.metrics.host ?? '127.0.0.1' }
      : null,
    now: (raw.now as (() => number) | undefined) ?? Date.now,
    fetch: raw.fetch as typeof fetch | undefined,
    wechat: raw.wechat as WechatAuthOptions['wechat'],
  }
}
