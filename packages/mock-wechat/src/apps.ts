/**
 * The Official Accounts the simulator knows: appid, AppSecret and the authorised web-auth domains
 * (网页授权域名), plus optional switches that reproduce account-level failures.
 */
import Type, { type Static } from 'typebox'
import { Value } from 'typebox/value'

/**
 * A web-auth domain (网页授权域名) as the admin console takes it: a domain, optionally with a path
 * ("可填写…wx.qq.com/mp" form), never a scheme. An official account accepts neither IPs nor ports
 * ("不支持IP地址、端口号及短链域名", https://cloud.tencent.com/developer/article/2005981); a test
 * account (测试号) takes `127.0.0.1:8080` or a LAN `ip:port`
 * (https://blog.csdn.net/yujianping_123/article/details/52233841), so `host:port` is allowed here
 * and refused for apps marked `officialAccount`.
 */
const DOMAIN_PATTERN =
  '^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*/?$'
/** A namespace name (`X-Mock-Namespace` header, `namespace` on an app). */
export const NAMESPACE_PATTERN = '^[A-Za-z0-9._-]{1,64}$'
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

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
    /**
     * A 测试号 that enforces following: personas that do not follow it get 10006 on authorize.
     * Every app that is not an `officialAccount` takes a 测试号's domains (ports and IPs).
     */
    testAccount: Type.Optional(Type.Boolean()),
    /**
     * A verified service account (认证服务号): domains without IP or port, and a redirect_uri with a
     * port gives 10003 ("redirect_uri不支持带端口号"). Default false: a test account's rules.
     */
    officialAccount: Type.Optional(Type.Boolean()),
    /** The namespace its calls land in (default `default`). */
    namespace: Type.Optional(Type.String({ pattern: NAMESPACE_PATTERN })),
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
 * `pnpm dev` needs nothing. Not a real AppID. Not an `officialAccount`: like a 测试号 it takes
 * `ip:port` domains, and nobody has to follow it.
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
    if (app.officialAccount) {
      if (app.testAccount) {
        problems.push(`apps[${i}] is either a testAccount or an officialAccount, not both`)
      }
      app.domains.forEach((domain, d) => {
        const host = domainHost(domain)
        if (host.includes(':')) {
          problems.push(`apps[${i}].domains.${d} ${domain}: an official account takes no port`)
        } else if (IPV4.test(host)) {
          problems.push(
            `apps[${i}].domains.${d} ${domain}: an official account takes no IP address`,
          )
        }
      })
    }
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

/** The `host[:port]` part of a domain entry (before any path). */
function domainHost(domain: string): string {
  const slash = domain.indexOf('/')
  return (slash === -1 ? domain : domain.slice(0, slash)).toLowerCase()
}

/** The path part of a domain entry without its trailing slash (`''` for a bare domain). */
function domainPath(domain: string): string {
  const slash = domain.indexOf('/')
  return slash === -1 ? '' : domain.slice(slash).replace(/\/+$/, '')
}

/**
 * Is `host` (`hostname[:port]`, as in a URL) the host of one of the app's web-auth domains? A
 * domain entry with a path also needs the path: see {@link checkRedirectUri}.
 */
export function isAuthorisedHost(app: MockApp, host: string): boolean {
  const wanted = host.toLowerCase()
  return app.domains.some((domain) => domainHost(domain) === wanted)
}

/**
 * What the authorize page makes of a redirect_uri's host and path: `ok`; `port` for an official
 * account and a URL with a port (10003, "redirect_uri不支持带端口号",
 * https://developers.weixin.qq.com/doc/oplatform/developers/troubleshooting/auth.html); `domain`
 * when no entry matches (10003). The match is full-domain ("www.qq.com" allows
 * http://www.qq.com/music.html, not pay.qq.com), and an entry with a path (`app.test/h5`) allows
 * that path and what is below it (`/h5`, `/h5/`, `/h5/a`, not `/h5x`).
 * @see https://developers.weixin.qq.com/doc/service/en/OA_Web_Apps/Wechat_webpage_authorization.html
 */
export function checkRedirectUri(app: MockApp, url: URL): 'ok' | 'port' | 'domain' {
  if (app.officialAccount && url.port !== '') return 'port'
  const host = url.host.toLowerCase()
  const allowed = app.domains.some((domain) => {
    if (domainHost(domain) !== host) return false
    const path = domainPath(domain)
    return path === '' || url.pathname === path || url.pathname.startsWith(`${path}/`)
  })
  return allowed ? 'ok' : 'domain'
}
