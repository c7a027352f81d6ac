/**
 * The scenarios of the mock BFF: each one is a way a real login goes, chosen with `?mock=<name>` or
 * from the scenario panel. The names are a contract (the README, the e2e suite and the contract
 * test use them).
 */

/** The scenarios' names, in the panel's order. */
export const SCENARIO_NAMES = [
  'new',
  'returning',
  'snapshot',
  'cancelled',
  'unavailable',
  'loop',
  'expired',
] as const
export type ScenarioName = (typeof SCENARIO_NAMES)[number]

/** What a scenario does, in the words the panel and `pnpm dev:mock` print. */
export interface Scenario {
  name: ScenarioName
  /** A few Chinese words for the panel. */
  label: string
  /** One line: what the mock does in it. */
  description: string
}

/**
 * How long the `expired` scenario's session lives, from its first use: long enough for the page
 * to load signed in, short enough to try the next tap on an ended session without waiting.
 */
export const EXPIRED_SESSION_LIFE_MS = 5_000

/** The scenarios, in the panel's order. */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'new',
    label: '新用户',
    description:
      'first visit: a silent login with no stored profile; the profile comes from the consent page',
  },
  {
    name: 'returning',
    label: '老用户',
    description: "returning user: the silent login finds the persona's stored profile",
  },
  {
    name: 'snapshot',
    label: '快照页访客',
    description:
      'every login is a snapshot-page (快照页) guest: read-only, joining answers 403 SNAPSHOT_USER',
  },
  {
    name: 'cancelled',
    label: '拒绝授权',
    description: 'the consent page answers 拒绝: back with ?state= only, the cancelled screen',
  },
  {
    name: 'unavailable',
    label: '微信不可用',
    description:
      'WeChat is down: every login (and every call that needs WeChat) answers 503 WECHAT_UNAVAILABLE',
  },
  {
    name: 'loop',
    label: '登录循环',
    description: 'every code answers 401 CODE_INVALID: the loop guard stops after two trips',
  },
  {
    name: 'expired',
    label: '会话过期',
    description: `signed in, then the session ends ${EXPIRED_SESSION_LIFE_MS / 1000} s after its first use: the next call answers 401 AUTH_REQUIRED`,
  },
]

/** Is this one of {@link SCENARIO_NAMES}? */
export function isScenarioName(value: unknown): value is ScenarioName {
  return typeof value === 'string' && (SCENARIO_NAMES as readonly string[]).includes(value)
}
