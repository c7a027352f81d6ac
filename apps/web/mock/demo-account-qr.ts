/**
 * The account QR image the demo's mock answers non-followers with (the plugin's `accountQrUrl`),
 * so `pnpm dev:mock` shows the follow card. A drawn stand-in, clearly marked: not a real QR code.
 */
const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 24 24">' +
  '<rect width="24" height="24" fill="#fff"/>' +
  '<path d="M2 2h7v7H2zM15 2h7v7h-7zM2 15h7v7H2z" fill="none" stroke="#111" stroke-width="1.5"/>' +
  '<path d="M4.5 4.5h2v2h-2zM17.5 4.5h2v2h-2zM4.5 17.5h2v2h-2zM12 3h1v2h-1zM11 7h2v1h-2zM15 12h2v2h-2zM19 15h2v1h-2zM12 15h1v4h-1zM15 18h3v1h-3zM19 19h2v2h-2zM3 11h3v1H3zM8 12h2v1H8z" fill="#111"/>' +
  '<text x="12" y="13.2" font-size="2.2" text-anchor="middle" fill="#018240">示例</text></svg>'

export const DEMO_ACCOUNT_QR_URL = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(SVG)}`
