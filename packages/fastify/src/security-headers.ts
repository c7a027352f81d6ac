/**
 * Security headers for an app that serves a WeChat H5 page and the login (`wechatH5SecurityHeaders`),
 * with @fastify/helmet: a Content-Security-Policy such a page passes, no framing, no Referer, and
 * HSTS once the site is https. Register it before the routes, with the login's options and the
 * folder of the built page.
 *
 * The policy allows what a WeChat H5 page really loads (the demo's e2e suite fails on any violation):
 * - scripts: its own hashed bundles and WeChat's JS-SDK, `https://res.wx.qq.com/open/js/jweixin-1.6.0.js`
 *   (apps/web/src/wechat/jssdk.ts); no inline script anywhere (Vite emits none);
 * - styles: its own CSS files (WeUI included), and the inline `<style>` of index.html (the first
 *   frame's background and skeleton) by its sha256, read from the built file at boot; Vue's
 *   `:style` bindings go through the CSSOM, which CSP does not restrict;
 * - images: its own, `data:` (the demo activity's SVG cover, the "open in WeChat" QR code), avatars
 *   from WeChat's CDN `*.qlogo.cn`, the account's QR image (WECHAT_ACCOUNT_QR_URL), and, when the
 *   WeChat bases are not WeChat's own (the simulator in development), their origins, which serve
 *   the simulated avatars;
 * - requests: its own origin only (`/api`).
 * `frame-ancestors 'none'` (and X-Frame-Options: DENY for old browsers): no page may frame it.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/jssdk.html (步骤二：引入JS文件)
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsuserinfo.html (headimgurl)
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import helmet from '@fastify/helmet'
import fp from 'fastify-plugin'
import type { WechatAuthOptions } from './options.js'

/** Where WeChat's JS-SDK is served from. */
export const JSSDK_ORIGIN = 'https://res.wx.qq.com'
/** WeChat's avatar CDN (thirdwx.qlogo.cn, wx.qlogo.cn…). */
export const AVATAR_SOURCES = ['https://*.qlogo.cn']

function originOf(url: string | undefined): string | null {
  if (url === undefined) return null
  const parsed = URL.parse(url)
  return parsed === null ? null : parsed.origin
}

/**
 * CSP hash sources of the inline `<style>` and `<script>` blocks of a built page, so the policy
 * allows exactly those blocks and nothing else inline.
 * @see https://www.w3.org/TR/CSP3/#external-hash
 */
export function inlineHashes(html: string): { styles: string[]; scripts: string[] } {
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
  const blocks = (tag: string) =>
    [...html.matchAll(new RegExp(`<${tag}(\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g'))]
      .filter((m) => !/\ssrc=/.test(m[1] ?? '') && (m[2] ?? '').trim() !== '')
      .map((m) => hash(m[2]!))
  return { styles: blocks('style'), scripts: blocks('script') }
}

/** The inline blocks of `staticDir`'s index.html (none when no SPA is served). */
function servedInline(staticDir: string | null): { styles: string[]; scripts: string[] } {
  const index = staticDir === null ? null : join(staticDir, 'index.html')
  if (index === null || !existsSync(index)) return { styles: [], scripts: [] }
  return inlineHashes(readFileSync(index, 'utf8'))
}

/** The Content-Security-Policy directives for the login's options and the page's inline blocks. */
export function cspDirectives(
  wechatAuth: WechatAuthOptions,
  inline: { styles: string[]; scripts: string[] } = { styles: [], scripts: [] },
): Record<string, string[]> {
  const https = wechatAuth.publicUrl.startsWith('https:')
  const imageOrigins = [
    wechatAuth.accountQrUrl,
    wechatAuth.wechatApiBase ?? 'https://api.weixin.qq.com',
    wechatAuth.wechatOpenBase ?? 'https://open.weixin.qq.com',
  ]
    .map(originOf)
    .filter((o): o is string => o !== null)
  return {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    scriptSrc: ["'self'", JSSDK_ORIGIN, ...inline.scripts],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", ...inline.styles],
    imgSrc: [...new Set(["'self'", 'data:', ...AVATAR_SOURCES, ...imageOrigins])],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    // Over plain http (development) this would break every request to the dev servers.
    ...(https ? { upgradeInsecureRequests: [] } : {}),
  }
}

/** The headers plugin: `app.register(wechatH5SecurityHeaders, { options, staticDir })`. */
export const wechatH5SecurityHeaders = fp<{ options: WechatAuthOptions; staticDir: string | null }>(
  async (app, { options, staticDir }) => {
    const https = options.publicUrl.startsWith('https:')
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: cspDirectives(options, servedInline(staticDir)),
      },
      // Browsers ignore HSTS over http; sent only once the site is https.
      strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
      xFrameOptions: { action: 'deny' },
      // The landing URL carries `?code=`: never sent as a Referer (index.html says so too).
      referrerPolicy: { policy: 'no-referrer' },
    })
  },
  { name: '@wxauth/fastify/security-headers' },
)
