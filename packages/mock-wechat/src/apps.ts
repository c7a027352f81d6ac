/**
 * The Official Accounts the simulator knows: appid, AppSecret and the authorised web-auth domains
 * (网页授权域名), plus optional switches that reproduce account-level failures.
 */
import Type, { type Static } from 'typebox'
import { Value } from 'typebox/value'

/**
 * A web-auth domain: `host` or `host:port`. Real accounts accept neither IPs nor ports, test
 * accounts (测试号) accept both (reference/wechat-api.md §1.6); the simulator accepts all, so
 * `127.0.0.1:5173` works for local development.
 */
const DOMAIN_PATTERN = '^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$'

/** Schema of one app, as `MOCK_WECHAT_APPS` and `options.apps` carry it. */
export const MockAppSchema = Type.Object(
  {
    appid: Type.String({ minLength: 1, maxLength: 64 }),
    secret: Type.String({ minLength: 1, maxLength: 128 }),
    domains: Type.Array(Type.String({ pattern: DOMAIN_PATTERN })),
    /** Shown on the consent page ("xxx 申请获得以下权限"). */
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** Bound to an Open Platform account: unionids are returned (default true). */
    boundToOpenPlatform: Type.Optional(Type.Boolean()),
    /** A 测试号: personas that do not follow it get 10006 on authorize. */
    testAccount: Type.Optional(Type.Boolean()),
    /** An Open Platform (website/mobile) appid: authorize answers 10016. */
    openPlatformApp: Type.Optional(Type.Boolean()),
    /** Scopes the account holds (default both); others get 10005. */
    scopes: Type.Optional(
      Type.Array(Type.Union([Type.Literal('snsapi_base'), Type.Literal('snsapi_userinfo')])),
    ),
    /** Authorize without `state` answers 10013 (WeChat lists the code; when it fires is unclear). */
    requireState: Type.Optional(Type.Boolean()),
    /** When set, AppSecret calls from other IPs get 40164. */
    ipWhitelist: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  },
  { additionalProperties: false },
)

/** One Official Account the simulator impersonates. */
export type MockApp = Static<typeof MockAppSchema>

/**
 * The development app: the BFF's default development config uses exactly these values, so
 * `pnpm dev` needs nothing. Not a real AppID.
 */
export const DEFAULT_APP: MockApp = {
  appid: 'wx5f3c1a9e2b7d4f60',
  secret: 'mock-secret-for-local-development-only',
  domains: ['127.0.0.1:5173', 'localhost:5173', '127.0.0.1:3000', 'localhost:3000'],
}

/** Display name on the consent page. */
export function appDisplayName(app: MockApp): string {
  if (app.name) return app.name
  return app.appid === DEFAULT_APP.appid ? 'wxauth 示例公众号' : `公众号 ${app.appid}`
}

/**
 * Check a list of apps; throws one Error listing every problem. Returns the apps by appid.
 */
export function indexApps(apps: readonly unknown[]): Map<string, MockApp> {
  const problems: string[] = []
  const byId = new Map<string, MockApp>()
  if (apps.length === 0) problems.push('at least one app is required')
  apps.forEach((candidate, i) => {
    if (!Value.Check(MockAppSchema, candidate)) {
      for (const error of Value.Errors(MockAppSchema, candidate)) {
        problems.push(`apps[${i}]${error.instancePath.replaceAll('/', '.')} ${error.message}`)
      }
      return
    }
    const app = candidate as MockApp
    if (byId.has(app.appid)) problems.push(`apps[${i}].appid ${app.appid} is listed twice`)
    byId.set(app.appid, app)
  })
  if (problems.length > 0) throw new Error(`Invalid mock WeChat apps: ${problems.join('; ')}`)
  return byId
}

/**
 * The apps from `MOCK_WECHAT_APPS` (a JSON array of `{ appid, secret, domains }`), or
 * `[DEFAULT_APP]` when it is unset or blank. Throws a readable Error on bad input.
 */
export function loadMockAppsFromEnv(env: Readonly<Record<string, string | undefined>>): MockApp[] {
  const raw = env.MOCK_WECHAT_APPS
  if (raw === undefined || raw.trim() === '') return [DEFAULT_APP]
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch (error) {
    throw new Error(`MOCK_WECHAT_APPS is not valid JSON: ${(error as Error).message}`)
  }
  if (!Array.isArray(parsed)) {
    throw new Error('MOCK_WECHAT_APPS must be a JSON array of { appid, secret, domains }')
  }
  return [...indexApps(parsed).values()]
}

/** Is `host` (`hostname[:port]`, as in a URL) one of the app's authorised web-auth domains? */
export function isAuthorisedHost(app: MockApp, host: string): boolean {
  const wanted = host.toLowerCase()
  return app.domains.some((domain) => domain.toLowerCase() === wanted)
}
