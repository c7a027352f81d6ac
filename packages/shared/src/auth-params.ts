/**
 * Reading WeChat's `code`/`state` from the URL the user lands on, and cleaning it afterwards.
 *
 * WeChat appends `code` then `state` to redirect_uri's query, *before* any fragment, so a hash-router
 * SPA lands on `/p?code=C&state=S#/route`; `href.split('?')[1]` would swallow `#/route`.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html (第一步：用户同意授权，获取code)
 * @see docs/wechat.md#the-callback
 */

/** Headers the SPA adds to `/api` requests until one succeeds (docs/architecture.md#the-login-flow). */
export const CODE_HEADER = 'x-wechat-code'
export const STATE_HEADER = 'x-wechat-state'

/**
 * `state`: "开发者可以填写a-zA-Z0-9的参数值，最多128字节".
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 */
export const STATE_PATTERN = /^[A-Za-z0-9]{1,128}$/
/** Real codes are 32 chars of `[A-Za-z0-9]`; accept any printable ASCII up to 128, nothing else. */
export const CODE_PATTERN = /^[\x21-\x7e]{1,128}$/

export interface AuthParams {
  /** Present only when it passes {@link CODE_PATTERN}. */
  code?: string
  /** Present only when it passes {@link STATE_PATTERN}. */
  state?: string
  /** Every query parameter, decoded; the query before the hash wins over the one inside it. */
  params: Record<string, string>
}

const AUTH_KEYS = new Set(['code', 'state'])

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '))
  } catch {
    return raw // malformed %-escape: keep it as written; shape checks reject it for code/state
  }
}

/** Split `a?b#c?d` into its main query (`b`) and the query inside the fragment (`d`). */
function splitHref(href: string): {
  base: string
  query: string
  hashPath: string
  hashQuery: string | null
} {
  const hashAt = href.indexOf('#')
  const main = hashAt === -1 ? href : href.slice(0, hashAt)
  const hash = hashAt === -1 ? null : href.slice(hashAt + 1)
  const qAt = main.indexOf('?')
  const base = qAt === -1 ? main : main.slice(0, qAt)
  const query = qAt === -1 ? '' : main.slice(qAt + 1)
  if (hash === null) return { base, query, hashPath: '', hashQuery: null }
  const hqAt = hash.indexOf('?')
  return {
    base,
    query,
    hashPath: '#' + (hqAt === -1 ? hash : hash.slice(0, hqAt)),
    hashQuery: hqAt === -1 ? null : hash.slice(hqAt + 1),
  }
}

function pairs(query: string): Array<[string, string]> {
  return query
    .split('&')
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf('=')
      return eq === -1
        ? [decode(part), '']
        : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]
    })
}

/**
 * Last value wins for a repeated key: WeChat *appends* `code`/`state`, so if redirect_uri already
 * carried a stale `code`, the fresh one is the last.
 */
function toRecord(list: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of list) out[k] = v
  return out
}

/**
 * Read `code` and `state` from a full or relative href. Never throws.
 *
 * - `/p?code=C&state=S#/route` → code C, state S (history or hash router)
 * - `/#/route?code=C&state=S` → code C, state S (a hand-built link)
 * - both → the query before the hash wins for code/state
 * - `?state=S` alone → a cancelled login: state, no code
 */
export function parseAuthParams(href: string): AuthParams {
  if (typeof href !== 'string') return { params: {} }
  const { query, hashQuery } = splitHref(href)
  const outer = toRecord(pairs(query))
  const inner = hashQuery === null ? {} : toRecord(pairs(hashQuery))
  const params = { ...inner, ...outer }
  const result: AuthParams = { params }
  const code = 'code' in outer ? outer.code : inner.code
  const state = 'state' in outer ? outer.state : inner.state
  if (code !== undefined && CODE_PATTERN.test(code)) result.code = code
  if (state !== undefined && STATE_PATTERN.test(state)) result.state = state
  return result
}

function stripQuery(query: string): string {
  return query
    .split('&')
    .filter((part) => {
      if (part.length === 0) return false
      const eq = part.indexOf('=')
      return !AUTH_KEYS.has(decode(eq === -1 ? part : part.slice(0, eq)))
    })
    .join('&')
}

/**
 * The same href without `code`/`state` (in the main query and in the hash's query); every other
 * parameter is kept exactly as written, and so is the hash. For `history.replaceState`, so reload,
 * back and share never replay a used code.
 */
export function stripAuthParams(href: string): string {
  if (typeof href !== 'string') return ''
  const { base, query, hashPath, hashQuery } = splitHref(href)
  const q = stripQuery(query)
  let out = base + (q ? '?' + q : '') + hashPath
  if (hashQuery !== null) {
    const hq = stripQuery(hashQuery)
    out += hq ? '?' + hq : ''
  }
  return out
}
