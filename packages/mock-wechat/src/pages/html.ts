/**
 * HTML plumbing for the simulator's pages: escaping (every interpolated value goes through
 * {@link escapeHtml}), a mobile layout with WeUI-like inline CSS (no network access needed), and
 * the headers every page is sent with.
 */
import type { FastifyReply } from 'fastify'

/** Escape text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(value: string | number): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

/**
 * The look of WeChat's own pages (WeUI): system font, #ededed background, #07c160 primary button,
 * centred message pages. A subset written inline so pages render offline.
 * @see https://github.com/Tencent/weui
 */
const CSS = `
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{font-family:system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei",sans-serif;
  background:#ededed;color:rgba(0,0,0,.9);font-size:17px;line-height:1.4;-webkit-text-size-adjust:100%}
.page{max-width:480px;margin:0 auto;min-height:100vh;background:#fff;padding:24px 24px 32px}
.mock-banner{font-size:12px;color:#b26a00;background:#fff7e6;border-radius:4px;padding:6px 10px;margin-bottom:16px}
.app{display:flex;align-items:center;gap:10px;margin:8px 0 24px}
.app-logo{width:36px;height:36px;border-radius:8px;background:#07c160;color:#fff;display:flex;
  align-items:center;justify-content:center;font-weight:600}
.app-name{font-size:15px;color:rgba(0,0,0,.55)}
h1{font-size:22px;font-weight:500;margin:0 0 8px}
.perm{font-size:15px;color:rgba(0,0,0,.55);padding:12px 0 16px;border-bottom:1px solid rgba(0,0,0,.1)}
.perm::before{content:"●";color:#07c160;font-size:10px;margin-right:8px;vertical-align:2px}
.picker{margin:16px 0 24px}
.picker-title{font-size:14px;color:rgba(0,0,0,.55);margin-bottom:8px}
.persona{display:flex;align-items:center;gap:12px;padding:10px 4px;border-bottom:1px solid rgba(0,0,0,.06);cursor:pointer}
.persona input{accent-color:#07c160;width:18px;height:18px;margin:0}
.persona img,.persona .no-avatar{width:40px;height:40px;border-radius:4px;flex:none;background:#f2f2f2}
.persona .no-avatar{display:flex;align-items:center;justify-content:center;color:#aaa;font-size:12px}
.persona-name{font-size:16px}
.persona-desc{font-size:13px;color:rgba(0,0,0,.45)}
.btns{display:flex;flex-direction:column;align-items:center;gap:16px;margin-top:24px}
.btn{display:block;width:184px;padding:10px 24px;border:0;border-radius:8px;font-size:17px;font-weight:600;
  text-align:center;cursor:pointer;font-family:inherit;text-decoration:none}
.btn-primary{background:#07c160;color:#fff}
.btn-primary:active{background:#06ad56}
.btn-default{background:#f2f2f2;color:#06ae56}
.btn-default:active{background:#e6e6e6}
.msg{text-align:center;padding-top:48px}
.msg-icon{width:64px;height:64px;border-radius:50%;margin:0 auto 24px;display:flex;align-items:center;
  justify-content:center;color:#fff;font-size:36px;font-weight:700}
.msg-icon.warn{background:#fa5151}
.msg-icon.info{background:#10aeff}
.msg-title{font-size:22px;font-weight:500;margin-bottom:12px;word-break:break-all}
.msg-desc{font-size:15px;color:rgba(0,0,0,.55);word-break:break-all}
.hash-warning{display:none;margin-top:16px;font-size:13px;color:#fa5151}
.foot{margin-top:32px;font-size:12px;color:rgba(0,0,0,.3);text-align:center}
`

export interface LayoutOptions {
  title: string
  body: string
  /** Inline script (trusted, never built from request data). */
  script?: string
  /** Extra CSS for this page. */
  css?: string
}

/** A complete HTML document with the mobile viewport WeChat's pages use. */
export function layout({ title, body, script, css }: LayoutOptions): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,maximum-scale=1,user-scalable=no,viewport-fit=cover">
<title>${escapeHtml(title)}</title>
<style>${CSS}${css ?? ''}</style>
</head>
<body>
${body}
${script ? `<script>${script}</script>` : ''}
</body>
</html>
`
}

/**
 * Pages load nothing from elsewhere (images come from the simulator itself). No `form-action`
 * directive: Chromium applies it to the redirect after a form post, which goes to the app.
 */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"

/** Send a page with the simulator's HTML headers. */
export function sendHtml(reply: FastifyReply, html: string, statusCode = 200): FastifyReply {
  return reply
    .code(statusCode)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', CSP)
    .send(html)
}

/** The notice on every page: nobody should mistake this for WeChat. */
export const MOCK_NOTICE =
  '本页由本地微信模拟器（@wxauth/mock-wechat）生成，不是真实的微信。Not a production server.'
