/**
 * The CLI's switches: every in-process option of `buildMockWechat` as a flag and as an environment
 * variable (the flag wins), checked at once so every problem is listed together.
 */
import { parseArgs } from 'node:util'
import type { MockWechatOptions } from './app.js'
import { loadMockAppsFromEnv } from './apps.js'
import { ORDER_CHECKS, type OrderCheck } from './settings.js'

type Kind = 'integer' | 'boolean' | 'orderCheck' | 'expiredCode'

interface Switch {
  flag: string
  env: string
  option: keyof MockWechatOptions
  kind: Kind
  /** Smallest integer allowed. */
  min?: number
  help: string
}

/** The switches of {@link MockWechatOptions} that a command line can carry. */
export const SWITCHES: readonly Switch[] = [
  {
    flag: 'timeout-hold-ms',
    env: 'MOCK_WECHAT_TIMEOUT_HOLD_MS',
    option: 'timeoutHoldMs',
    kind: 'integer',
    min: 0,
    help: 'how long a `timeout` failure holds the response (default 10000)',
  },
  {
    flag: 'authorize-rate-limit',
    env: 'MOCK_WECHAT_AUTHORIZE_RATE_LIMIT',
    option: 'authorizeRateLimitPerMinute',
    kind: 'integer',
    min: 1,
    help: 'authorize requests per client IP per minute before 10009 (default 30)',
  },
  {
    flag: 'strict-state',
    env: 'MOCK_WECHAT_STRICT_STATE',
    option: 'strictState',
    kind: 'boolean',
    help: 'refuse states outside [A-Za-z0-9] (default off: WeChat echoes them)',
  },
  {
    flag: 'order-check',
    env: 'MOCK_WECHAT_ORDER_CHECK',
    option: 'orderCheck',
    kind: 'orderCheck',
    help: 'userinfo | all | off: which authorize links must keep the order (default userinfo)',
  },
  {
    flag: 'expired-code-errcode',
    env: 'MOCK_WECHAT_EXPIRED_CODE_ERRCODE',
    option: 'expiredCodeErrcode',
    kind: 'expiredCode',
    help: '40029 | 42003: the answer to a code older than 5 minutes (default 40029)',
  },
  {
    flag: 'token-daily-quota',
    env: 'MOCK_WECHAT_TOKEN_DAILY_QUOTA',
    option: 'tokenDailyQuota',
    kind: 'integer',
    min: 0,
    help: 'cgi-bin/token calls per app per day before 45009 (default 2000)',
  },
  {
    flag: 'stable-token-daily-quota',
    env: 'MOCK_WECHAT_STABLE_TOKEN_DAILY_QUOTA',
    option: 'stableTokenDailyQuota',
    kind: 'integer',
    min: 0,
    help: 'cgi-bin/stable_token calls per app per day before 45009 (default 500000)',
  },
  {
    flag: 'stable-force-daily-limit',
    env: 'MOCK_WECHAT_STABLE_FORCE_DAILY_LIMIT',
    option: 'stableForceDailyLimit',
    kind: 'integer',
    min: 0,
    help: 'stable_token force refreshes per app per day before 45009 (default 20)',
  },
  {
    flag: 'user-info-daily-quota',
    env: 'MOCK_WECHAT_USER_INFO_DAILY_QUOTA',
    option: 'userInfoDailyQuota',
    kind: 'integer',
    min: 0,
    help: 'cgi-bin/user/info calls per app per day before 45009 (default 5000000)',
  },
]

/** What the CLI runs: where to listen, and the simulator's options. */
export interface CliConfig {
  host: string
  port: number
  logLevel: string
  options: MockWechatOptions
  help: boolean
}

/** `--help`'s text. */
export function usage(): string {
  const rows = [
    ['--port N', 'MOCK_WECHAT_PORT', 'port, 0 for any free one (default 3100)'],
    ['--host H', 'MOCK_WECHAT_HOST', 'interface (default 127.0.0.1)'],
    ['--apps JSON', 'MOCK_WECHAT_APPS', 'JSON array of apps (default: the development app)'],
    ['--log-level L', 'MOCK_WECHAT_LOG_LEVEL', 'Fastify log level (default warn)'],
    ...SWITCHES.map((s) => [s.kind === 'boolean' ? `--${s.flag}` : `--${s.flag} V`, s.env, s.help]),
  ]
  return [
    'Usage: mock-wechat [options]   (each option can also be set by its environment variable)',
    ...rows.map(([flag, env, help]) => `  ${flag?.padEnd(30)} ${env?.padEnd(38)} ${help}`),
  ].join('\n')
}

function parseValue(kind: Kind, raw: string, min = 0): { value: unknown } | { problem: string } {
  switch (kind) {
    case 'integer': {
      if (!/^\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
        return { problem: `must be an integer ≥ ${min}, got "${raw}"` }
      }
      return { value: Number(raw) }
    }
    case 'boolean': {
      if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return { value: true }
      if (['0', 'false', 'no', 'off', ''].includes(raw.toLowerCase())) return { value: false }
      return { problem: `must be true or false, got "${raw}"` }
    }
    case 'orderCheck':
      return (ORDER_CHECKS as readonly string[]).includes(raw)
        ? { value: raw as OrderCheck }
        : { problem: `must be one of ${ORDER_CHECKS.join(', ')}, got "${raw}"` }
    case 'expiredCode':
      return raw === '40029' || raw === '42003'
        ? { value: Number(raw) }
        : { problem: `must be 40029 or 42003, got "${raw}"` }
  }
}

/**
 * Read the CLI's configuration from its arguments and environment. Throws one Error listing every
 * problem (unknown flags, bad values, bad apps).
 */
export function readCliConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliConfig {
  const problems: string[] = []
  let values: Record<string, string | boolean | undefined> = {}
  try {
    values = parseArgs({
      // `pnpm start -- --flag` passes the `--` on.
      args: argv[0] === '--' ? argv.slice(1) : [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        apps: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(
          SWITCHES.map((s) => [s.flag, { type: s.kind === 'boolean' ? 'boolean' : 'string' }]),
        ),
      },
    }).values as Record<string, string | boolean | undefined>
  } catch (error) {
    problems.push((error as Error).message)
  }
  const pick = (flag: string, name: string): string | undefined => {
    const value = values[flag]
    if (typeof value === 'boolean') return value ? 'true' : 'false'
    if (value !== undefined) return value
    return env[name] === '' ? undefined : env[name]
  }

  const rawPort = pick('port', 'MOCK_WECHAT_PORT')
  let port = 3100
  if (rawPort !== undefined) {
    if (!/^\d+$/.test(rawPort) || Number(rawPort) > 65535) {
      problems.push(`MOCK_WECHAT_PORT (--port) must be 0-65535, got "${rawPort}"`)
    } else port = Number(rawPort)
  }

  const options: MockWechatOptions = {}
  try {
    const apps = pick('apps', 'MOCK_WECHAT_APPS')
    options.apps = loadMockAppsFromEnv({ MOCK_WECHAT_APPS: apps })
  } catch (error) {
    problems.push((error as Error).message)
  }
  for (const s of SWITCHES) {
    const raw = pick(s.flag, s.env)
    if (raw === undefined) continue
    const parsed = parseValue(s.kind, raw, s.min)
    if ('problem' in parsed) problems.push(`${s.env} (--${s.flag}) ${parsed.problem}`)
    else Object.assign(options, { [s.option]: parsed.value })
  }
  if (problems.length > 0) throw new Error(problems.join('; '))
  return {
    host: pick('host', 'MOCK_WECHAT_HOST') ?? '127.0.0.1',
    port,
    logLevel: pick('log-level', 'MOCK_WECHAT_LOG_LEVEL') ?? 'warn',
    options,
    help: values.help === true,
  }
}
