/**
 * The page URL `GET /api/jssdk/config` signs. WeChat compares the signature with the URL the page
 * really has, so the URL is signed exactly as sent; it is only checked here:
 * - no `#fragment`: WeChat signs `location.href.split('#')[0]`, and a fragment means the caller
 *   took the wrong string (it is refused, not stripped, so the mistake shows up in development);
 * - an absolute http(s) URL of PUBLIC_URL's origin (a JS-SDK safe domain, 安全域名), without
 *   credentials;
 * - written as a browser writes `location.href`: printable ASCII and already in the WHATWG
 *   serialisation, since anything else can never match the page's own URL.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/jssdk.html (附录1, 附录5)
 */

/** Why `url` cannot be signed for a page of `origin`, or null when it can. */
export function pageUrlProblem(url: string, origin: string): string | null {
  if (url.includes('#')) {
    return "url must not contain a #fragment: WeChat signs the page URL without it (location.href.split('#')[0])"
  }
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i)
    if (c <= 0x20 || c >= 0x7f) {
      return 'url must be the address as the browser reports it (printable ASCII, no spaces)'
    }
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'url must be an absolute http(s) URL'
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return 'url must be an absolute http(s) URL'
  }
  if (parsed.username || parsed.password) return 'url must not carry credentials'
  if (parsed.origin !== origin) return `url must be a page of ${origin}`
  if (parsed.href !== url) {
    return 'url must be written exactly as the browser reports it (location.href)'
  }
  return null
}
