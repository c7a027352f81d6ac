/**
 * Telling WeChat's in-app browser apart. A module of its own: the SPA's entry needs it at boot,
 * and whatever else sat beside it would ride into every page's first download.
 */

/** Is this the WeChat in-app browser (WeCom's included)? Its user agent carries `MicroMessenger`. */
export function isWechatBrowser(userAgent: string | undefined | null): boolean {
  return typeof userAgent === 'string' && /MicroMessenger/i.test(userAgent)
}
