import { describe, expect, it } from 'vitest'
import { DEFAULT_APP } from '../src/index.js'
import { SWITCHES, readCliConfig, usage } from '../src/cli-options.js'

describe('readCliConfig', () => {
  it('defaults to 127.0.0.1:3100, the development app and no switches', () => {
    expect(readCliConfig([], {})).toEqual({
      host: '127.0.0.1',
      port: 3100,
      logLevel: 'warn',
      options: { apps: [DEFAULT_APP] },
      help: false,
    })
  })

  it('reads every in-process option from its environment variable', () => {
    const config = readCliConfig([], {
      MOCK_WECHAT_TIMEOUT_HOLD_MS: '250',
      MOCK_WECHAT_AUTHORIZE_RATE_LIMIT: '1000',
      MOCK_WECHAT_STRICT_STATE: 'true',
      MOCK_WECHAT_ORDER_CHECK: 'all',
      MOCK_WECHAT_EXPIRED_CODE_ERRCODE: '42003',
      MOCK_WECHAT_TOKEN_DAILY_QUOTA: '200',
      MOCK_WECHAT_STABLE_TOKEN_DAILY_QUOTA: '50000',
      MOCK_WECHAT_STABLE_FORCE_DAILY_LIMIT: '2',
      MOCK_WECHAT_USER_INFO_DAILY_QUOTA: '500000',
    })
    expect(config.options).toEqual({
      apps: [DEFAULT_APP],
      timeoutHoldMs: 250,
      authorizeRateLimitPerMinute: 1000,
      strictState: true,
      orderCheck: 'all',
      expiredCodeErrcode: 42003,
      tokenDailyQuota: 200,
      stableTokenDailyQuota: 50000,
      stableForceDailyLimit: 2,
      userInfoDailyQuota: 500000,
    })
  })

  it('reads the same options from flags, which win over the environment', () => {
    const config = readCliConfig(
      [
        '--',
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--timeout-hold-ms',
        '100',
        '--strict-state',
        '--order-check',
        'off',
        '--token-daily-quota',
        '5',
      ],
      { MOCK_WECHAT_TIMEOUT_HOLD_MS: '9999', MOCK_WECHAT_PORT: '4000' },
    )
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      options: { timeoutHoldMs: 100, strictState: true, orderCheck: 'off', tokenDailyQuota: 5 },
    })
  })

  it('has a flag and an environment variable for each switch, all in --help', () => {
    const text = usage()
    for (const s of SWITCHES) {
      expect(text).toContain(`--${s.flag}`)
      expect(text).toContain(s.env)
    }
    expect(readCliConfig(['--help'], {}).help).toBe(true)
  })

  it('lists every problem at once', () => {
    expect(() =>
      readCliConfig(['--order-check', 'sometimes'], {
        MOCK_WECHAT_PORT: '70000',
        MOCK_WECHAT_TIMEOUT_HOLD_MS: '-1',
        MOCK_WECHAT_STRICT_STATE: 'maybe',
        MOCK_WECHAT_EXPIRED_CODE_ERRCODE: '40001',
      }),
    ).toThrow(
      /MOCK_WECHAT_PORT.*; MOCK_WECHAT_TIMEOUT_HOLD_MS.*; MOCK_WECHAT_STRICT_STATE.*; MOCK_WECHAT_ORDER_CHECK \(--order-check\) must be one of userinfo, all, off.*; MOCK_WECHAT_EXPIRED_CODE_ERRCODE/,
    )
  })

  it('refuses an unknown flag', () => {
    expect(() => readCliConfig(['--strict-stat'], {})).toThrow(/Unknown option '--strict-stat'/)
  })
})
