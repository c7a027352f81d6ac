/**
 * The URL the page was first loaded with, before the code was cleaned from the address bar. iOS
 * WeChat signs JS-SDK requests against this URL, not the current route (pain-points.md P2-3).
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/jssdk.html
 */

let entryUrl = ''

/** Record the entry URL (boot only): `location.href` without its fragment. */
export function setEntryUrl(href: string): void {
  entryUrl = href.split('#')[0] ?? ''
}

/** The URL the page was entered with, without its fragment; `''` before boot. */
export function getEntryUrl(): string {
  return entryUrl
}
