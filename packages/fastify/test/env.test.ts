import { describe, expect, it } from 'vitest'
import { ENV_KEYS, optionsFromEnv, resolveOptions } from '../src/index.js'

const GOOD = {
  WECHAT_APPID: 'wx0123456789abcdef',
  WECHAT_SECRET: 'a-real-looking-secret-0123456789',
  PUBLIC_URL: 'https://h5.example.com',
  COOKIE_SECRET: 'x'.repeat(40),
}

describe('optionsFromEnv', () => {
  it('maps each variable onto its option, numbers and metrics included, on top of the base', () => {
    const { options, problems } = optionsFromEnv(
      {
        ...GOOD,
        SESSION_TTL: '12h',
        EXCHANGE_CONCURRENCY: '8',
        DATABASE_URL: 'sqlite:./db/x.sqlite',
        METRICS_PORT: '9464',
        UNRELATED: 'ignored',
        WECHAT_LANG: '',
      },
      { cwd: '/srv/app', base: { jssdk: true } },
    )
    expect(problems).toEqual([])
    expect(options).toEqual({
      appId: GOOD.WECHAT_APPID,
      secret: GOOD.WECHAT_SECRET,
      publicUrl: GOOD.PUBLIC_URL,
      cookieSecret: GOOD.COOKIE_SECRET,
      sessionTtl: '12h',
      exchangeConcurrency: 8,
      databaseUrl: 'sqlite:/srv/app/db/x.sqlite',
      metrics: { port: 9464 },
      jssdk: true,
    })
    expect(resolveOptions(options)).toMatchObject({ sessionTtlMs: 12 * 3600_000, lang: 'zh_CN' })
  })

  it("names each problem by its variable, with the plugin's own rules, sorted", () => {
    const { problems } = optionsFromEnv({
      ...GOOD,
      WECHAT_APPID: 'nope',
      AUTH_RATE_LIMIT: '-1',
      REDIS_URL: 'redis://cache:6379',
      METRICS_PORT: '70000',
    })
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'AUTH_RATE_LIMIT',
      'METRICS_PORT',
      'REDIS_URL',
      'WECHAT_APPID',
    ])
    expect(problems.join('\n')).toContain('REDIS_URL needs a postgres:// DATABASE_URL')
    expect(problems.join('\n')).not.toMatch(/\b(appId|redisUrl|databaseUrl)\b/)
  })

  it('lists the variables it reads', () => {
    expect(ENV_KEYS).toEqual(expect.arrayContaining(['WECHAT_APPID', 'METRICS_PORT', 'REDIS_URL']))
  })
})
