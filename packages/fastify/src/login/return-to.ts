/**
 * `returnTo` → WeChat's `redirect_uri`. Only a same-origin relative path is accepted: no scheme, no
 * protocol-relative `//host`, no backslashes (browsers read `/\host` as `//host`), no control
 * characters. The result is PUBLIC_URL + path with no fragment (WeChat appends `code`/`state` to the
 * query, and the client refuses a fragment), and without any stale `code`/`state` parameter.
 */
import { stripAuthParams } from '@wxauth/shared'

/**
 * The absolute redirect URI for `returnTo` under `publicUrl`, or null when `returnTo` is not a
 * same-origin relative path.
 */
export function resolveReturnTo(returnTo: string, publicUrl: string): string | null {
  if (!returnTo.startsWith('/') || returnTo.startsWith('//')) return null
  // Backslashes, and controls, spaces or DEL (browsers strip or normalise them).
  for (let i = 0; i < returnTo.length; i++) {
    const c = returnTo.charCodeAt(i)
    if (c <= 0x20 || c === 0x7f || c === 0x5c) return null
  }
  const hashAt = returnTo.indexOf('#')
  const path = hashAt === -1 ? returnTo : returnTo.slice(0, hashAt)
  const base = new URL(publicUrl)
  const basePath = base.pathname.replace(/\/+$/, '')
  let target: URL
  try {
    target = new URL(basePath + path, base.origin)
  } catch {
    return null
  }
  if (target.origin !== base.origin) return null
  if (basePath && target.pathname !== basePath && !target.pathname.startsWith(basePath + '/')) {
    return null
  }
  return stripAuthParams(target.origin + target.pathname + target.search)
}
