import { describe, expect, it } from 'vitest'
import { resolveOptions } from '@wxauth/fastify'
import {
  ConfigError,
  DEFAULT_STATIC_DIR,
  DEV_DEFAULTS,
  loadConfig,
  parseDuration,
  type Config,
} from '../src/config.js'

/** The plugin's reading of the config's options: what the login will run on. */
const settingsOf = (config: Config) => resolveOptions(config.wechatAuth)

const PRODUCTION = {
  NODE_ENV: 'production',
  WECHAT_APPID: 'wx0123456789abcdef',
  WECHAT_SECRET: 'a-real-looking-secret-0123456789',
  PUBLIC_URL: 'https://h5.example.com',
  COOKIE_SECRET: 'x'.repeat(40),
}

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env, { cwd: '/srv/app' })
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).problems
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('needs no environment at all in development: the simulator app and loopback defaults', () => {
    const config = loadConfig({}, { cwd: '/srv/app' })
    expect(config).toMatchObject({
      production: false,
      developmentDefaults: true,
      host: '127.0.0.1',
      port: 3000,
      logLevel: 'info',
    })
    expect(settingsOf(config)).toMatchObject({
      appId: 'wx5f3c1a9e2b7d4f60',
      secret: 'mock-secret-for-local-development-only',
      wechatApiBase: 'http://127.0.0.1:3100',
      wechatOpenBase: 'http://127.0.0.1:3100',
      publicUrl: 'http://127.0.0.1:5173',
      secureCookies: false,
      lang: 'zh_CN',
      sessionTtlMs: 7 * 86400_000,
      profileTtlMs: 86400_000,
      databaseUrl: 'sqlite:/srv/app/data/wxauth.sqlite',
      redisUrl: null,
    })
  })

  it('uses the development defaults only when no WeChat credential is given at all', () => {
    expect(loadConfig({}).developmentDefaults).toBe(true)
    // A real secret, nothing else: no default fills in (the repository's cookie secret is public).
    const problems = problemsOf({ WECHAT_SECRET: 'a-real-looking-secret-0123456789' })
    expect(problems.sort()).toEqual([
      'COOKIE_SECRET is required once WECHAT_APPID or WECHAT_SECRET is set (at least 32 random characters; the development default is public, so anyone could forge a login)',
      'PUBLIC_URL is required (an http(s) URL)',
      'WECHAT_APPID is required (the AppID, "wx" + 16 letters or digits)',
    ])
    // With credentials, the WeChat bases are WeChat's own, not the simulator's.
    const { NODE_ENV: _, ...staging } = PRODUCTION
    const config = loadConfig(staging)
    expect(config).toMatchObject({ production: false, developmentDefaults: false })
    expect(settingsOf(config)).toMatchObject({
      wechatApiBase: 'https://api.weixin.qq.com',
      wechatOpenBase: 'https://open.weixin.qq.com',
    })
  })

  it('refuses the development cookie secret beside real credentials, in production or not', () => {
    const { NODE_ENV: _, ...staging } = PRODUCTION
    expect(problemsOf({ ...staging, COOKIE_SECRET: DEV_DEFAULTS.COOKIE_SECRET })).toEqual([
      'COOKIE_SECRET must not be the development default beside real WeChat credentials',
    ])
  })

  it('refuses a plain-http WeChat base that is not loopback', () => {
    expect(
      problemsOf({ ...PRODUCTION, WECHAT_API_BASE: 'http://wechat-mock.internal:3100' }),
    ).toEqual([
      'WECHAT_API_BASE must be https (plain http only for the simulator on a loopback host: 127.0.0.1, ::1, localhost)',
    ])
    expect(
      settingsOf(loadConfig({ ...PRODUCTION, WECHAT_OPEN_BASE: 'http://localhost:3100' })),
    ).toMatchObject({ wechatOpenBase: 'http://localhost:3100' })
  })

  it('lists every missing key at once in production, with no development defaults', () => {
    const problems = problemsOf({ NODE_ENV: 'production' })
    expect(problems).toHaveLength(4)
    for (const key of ['WECHAT_APPID', 'WECHAT_SECRET', 'PUBLIC_URL', 'COOKIE_SECRET']) {
      expect(problems.some((p) => p.startsWith(`${key} is required`))).toBe(true)
    }
  })

  it('lists every malformed key at once, naming each', () => {
    const problems = problemsOf({
      ...PRODUCTION,
      WECHAT_APPID: 'not-an-appid',
      COOKIE_SECRET: 'short',
      PUBLIC_URL: 'ftp://h5.example.com',
      WECHAT_LANG: 'fr',
      SESSION_TTL: '7 days',
      PORT: '70000',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
    })
    const keys = problems.map((p) => p.split(' ')[0])
    expect(keys.sort()).toEqual(
      [
        'COOKIE_SECRET',
        'DATABASE_URL',
        'LOG_LEVEL',
        'PORT',
        'PUBLIC_URL',
        'SESSION_TTL',
        'WECHAT_APPID',
        'WECHAT_LANG',
      ].sort(),
    )
    const error = (() => {
      try {
        loadConfig({ ...PRODUCTION, PORT: 'x', WECHAT_LANG: 'fr' })
      } catch (e) {
        return e as Error
      }
    })()
    expect(error?.message).toMatch(/PORT[\s\S]*WECHAT_LANG|WECHAT_LANG[\s\S]*PORT/)
  })

  it('refuses the development cookie secret in production and never echoes secrets', () => {
    const problems = problemsOf({ ...PRODUCTION, COOKIE_SECRET: DEV_DEFAULTS.COOKIE_SECRET })
    expect(problems).toEqual(['COOKIE_SECRET must not be the development default in production'])
    const bad = problemsOf({ ...PRODUCTION, WECHAT_SECRET: 'has spaces in it ok' })
    expect(bad.join('\n')).not.toContain('has spaces in it ok')
  })

  it('rejects a PUBLIC_URL with a query or fragment', () => {
    expect(problemsOf({ ...PRODUCTION, PUBLIC_URL: 'https://h5.example.com/?a=1' })).toEqual([
      'PUBLIC_URL must not carry a query, a fragment or credentials',
    ])
  })

  it('reads a full production environment', () => {
    const config = loadConfig(
      {
        ...PRODUCTION,
        PUBLIC_URL: 'https://h5.example.com/app/',
        SESSION_TTL: '12h',
        PROFILE_TTL: '3600',
        DATABASE_URL: 'sqlite:/var/lib/wxauth/db.sqlite',
        STATIC_DIR: 'public',
        MP_VERIFY_DIR: '/etc/wxauth/mp',
        PORT: '8080',
        LOG_LEVEL: 'warn',
        UNRELATED: 'ignored',
      },
      { cwd: '/srv/app' },
    )
    expect(settingsOf(config)).toMatchObject({
      wechatApiBase: 'https://api.weixin.qq.com',
      wechatOpenBase: 'https://open.weixin.qq.com',
      publicUrl: 'https://h5.example.com/app',
      secureCookies: true,
      sessionTtlMs: 12 * 3600_000,
      profileTtlMs: 3600_000,
      databaseUrl: 'sqlite:/var/lib/wxauth/db.sqlite',
      mpVerifyDir: '/etc/wxauth/mp',
    })
    expect(config).toMatchObject({
      production: true,
      staticDir: '/srv/app/public',
      host: '0.0.0.0',
      port: 8080,
      logLevel: 'warn',
    })
  })

  it('defaults the global token to stable_token, follower status to 5 minutes, no QR image', () => {
    expect(settingsOf(loadConfig(PRODUCTION))).toMatchObject({
      globalToken: 'stable',
      subscription: { ttlMs: 300_000, accountQrUrl: null },
    })
  })

  it('reads WECHAT_GLOBAL_TOKEN, SUBSCRIPTION_TTL and WECHAT_ACCOUNT_QR_URL', () => {
    const qr = 'https://open.weixin.qq.com/qr/code?username=gh_0123456789ab'
    const config = loadConfig({
      ...PRODUCTION,
      WECHAT_GLOBAL_TOKEN: 'classic',
      SUBSCRIPTION_TTL: '90s',
      WECHAT_ACCOUNT_QR_URL: qr,
    })
    expect(settingsOf(config)).toMatchObject({
      globalToken: 'classic',
      subscription: { ttlMs: 90_000, accountQrUrl: qr },
    })
  })

  it('limits logins per browser and per IP, caps exchanges, and trusts no proxy by default', () => {
    expect(settingsOf(loadConfig(PRODUCTION))).toMatchObject({
      authRateLimit: 10,
      authRateLimitPerIp: 600,
      exchangeRateLimit: 10,
      exchangeRateLimitPerIp: 600,
      exchangeConcurrency: 50,
    })
    expect(loadConfig(PRODUCTION)).toMatchObject({ trustProxy: false })
  })

  it('reads the per-IP ceilings, the exchange limits and the exchange cap, listing bad ones', () => {
    const config = loadConfig({
      ...PRODUCTION,
      AUTH_RATE_LIMIT_PER_IP: '1200',
      EXCHANGE_RATE_LIMIT: '5',
      EXCHANGE_RATE_LIMIT_PER_IP: '0',
      EXCHANGE_CONCURRENCY: '8',
    })
    expect(settingsOf(config)).toMatchObject({
      authRateLimitPerIp: 1200,
      exchangeRateLimit: 5,
      exchangeRateLimitPerIp: 0,
      exchangeConcurrency: 8,
    })
    const problems = problemsOf({
      ...PRODUCTION,
      AUTH_RATE_LIMIT_PER_IP: 'many',
      EXCHANGE_RATE_LIMIT: '-1',
      EXCHANGE_CONCURRENCY: '20000',
    })
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual([
      'AUTH_RATE_LIMIT_PER_IP',
      'EXCHANGE_CONCURRENCY',
      'EXCHANGE_RATE_LIMIT',
    ])
  })

  it('reads AUTH_RATE_LIMIT and TRUST_PROXY (boolean, hop count or addresses)', () => {
    const read = (TRUST_PROXY: string) => loadConfig({ ...PRODUCTION, TRUST_PROXY }).trustProxy
    expect(settingsOf(loadConfig({ ...PRODUCTION, AUTH_RATE_LIMIT: '0' })).authRateLimit).toBe(0)
    expect(read('true')).toBe(true)
    expect(read('false')).toBe(false)
    expect(read('1')).toBe(1)
    expect(read('10.0.0.0/8, 127.0.0.1')).toBe('10.0.0.0/8, 127.0.0.1')
    const problems = problemsOf({ ...PRODUCTION, AUTH_RATE_LIMIT: '-1', TRUST_PROXY: 'yes' })
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['AUTH_RATE_LIMIT', 'TRUST_PROXY'])
  })

  it('lists bad WECHAT_GLOBAL_TOKEN, SUBSCRIPTION_TTL and WECHAT_ACCOUNT_QR_URL together', () => {
    const problems = problemsOf({
      ...PRODUCTION,
      WECHAT_GLOBAL_TOKEN: 'force',
      SUBSCRIPTION_TTL: '5 minutes',
      WECHAT_ACCOUNT_QR_URL: 'qr.jpg',
      PORT: 'x',
    })
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual([
      'PORT',
      'SUBSCRIPTION_TTL',
      'WECHAT_ACCOUNT_QR_URL',
      'WECHAT_GLOBAL_TOKEN',
    ])
    expect(problems).toContain('WECHAT_GLOBAL_TOKEN must be stable or classic')
    expect(problemsOf({ ...PRODUCTION, SUBSCRIPTION_TTL: '0' })).toEqual([
      'SUBSCRIPTION_TTL must be longer than zero',
    ])
    expect(problemsOf({ ...PRODUCTION, WECHAT_ACCOUNT_QR_URL: 'https://[bad/qr.jpg' })).toEqual([
      'WECHAT_ACCOUNT_QR_URL must be a valid URL',
    ])
  })

  it('keeps metrics off by default, and reads METRICS_PORT and METRICS_HOST', () => {
    expect(settingsOf(loadConfig(PRODUCTION)).metrics).toBeNull()
    expect(settingsOf(loadConfig({ ...PRODUCTION, METRICS_PORT: '9464' })).metrics).toEqual({
      port: 9464,
      host: '127.0.0.1',
    })
    expect(
      settingsOf(loadConfig({ ...PRODUCTION, METRICS_PORT: '0', METRICS_HOST: '0.0.0.0' })).metrics,
    ).toEqual({ port: 0, host: '0.0.0.0' })
    expect(problemsOf({ ...PRODUCTION, METRICS_PORT: '70000', METRICS_HOST: 'a host' })).toEqual([
      'METRICS_HOST must be an address to listen on, like 127.0.0.1 or 0.0.0.0',
      'METRICS_PORT must be a TCP port, 0 to 65535',
    ])
    expect(problemsOf({ ...PRODUCTION, METRICS_HOST: '0.0.0.0' })).toEqual([
      'METRICS_HOST needs METRICS_PORT (metrics are off without a port)',
    ])
  })

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', WECHAT_LANG: '' }).port).toBe(3000)
  })

  it('defaults STATIC_DIR to apps/web/dist next to this package, wherever the process starts', () => {
    expect(DEFAULT_STATIC_DIR).toMatch(/apps[\\/]web[\\/]dist$/)
  })
})

describe('parseDuration', () => {
  it.each([
    ['90', 90],
    ['45s', 45],
    ['30m', 1800],
    ['24h', 86400],
    ['7d', 604800],
  ])('%s → %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds)
  })

  it('is NaN for anything else', () => {
    expect(parseDuration('1w')).toBeNaN()
  })
})

describe('loadConfig: storage modes', () => {
  it('takes a postgres:// DATABASE_URL with REDIS_URL (distributed) or alone (one instance)', () => {
    const pg = 'postgres://wxauth:pw@db.internal:5432/wxauth'
    const distributed = loadConfig({ DATABASE_URL: pg, REDIS_URL: 'redis://cache:6379/0' })
    expect(settingsOf(distributed)).toMatchObject({
      databaseUrl: pg,
      redisUrl: 'redis://cache:6379/0',
    })
    expect(settingsOf(loadConfig({ DATABASE_URL: pg }))).toMatchObject({
      databaseUrl: pg,
      redisUrl: null,
    })
  })

  it('refuses REDIS_URL beside SQLite, and lists it with the other problems', () => {
    expect(problemsOf({ REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual([
      'REDIS_URL needs a postgres:// DATABASE_URL (distributed mode runs on Redis and PostgreSQL; the SQLite file serves one process)',
    ])
    expect(
      problemsOf({ REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'sqlite:x', PORT: 'x' }),
    ).toHaveLength(2)
    expect(problemsOf({ REDIS_URL: 'http://nope' })).toEqual([
      'REDIS_URL must be redis://… or rediss://…',
    ])
  })
})
