/**
 * WeChat JS-SDK sharing: sets the card WeChat shows when the page is shared to a chat or to Moments.
 * Only inside WeChat and never for snapshot-page (快照页) guests. The SDK script is loaded on
 * demand with a script tag (this module is itself a lazy chunk), the signature comes from the BFF
 * (`GET /api/jssdk/config`), and every failure (script, network, `wx.error`) is logged with
 * `console.warn` and otherwise ignored: sharing is an extra, the page never waits for it.
 *
 * The URL to sign: iOS WeChat verifies against the URL the page was *entered* with (recorded by
 * `@wxauth/vue` when the page landed, `entryUrl`, possibly still carrying the used code), Android
 * against the current one; both without the `#fragment`.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/jssdk.html
 * @see docs/wechat.md#js-sdk-signatures
 */
import {
  isWechatBrowser,
  stripAuthParams,
  type ActivityResponse,
  type JssdkConfigResponse,
} from '@wxauth/shared'
import type { RouterMode } from '@wxauth/vue'
import { BASE_URL, ROUTER_MODE } from '../config.js'

/** The official JS-SDK, 1.6.0 (步骤二：引入JS文件). */
export const JSSDK_SCRIPT_URL = 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js'

/** The share APIs of JS-SDK ≥ 1.4.0 (分享接口: 自定义“分享给朋友”及“分享到朋友圈”). */
export const SHARE_API_LIST = ['updateAppMessageShareData', 'updateTimelineShareData']

/** What a share card shows. */
export interface ShareContent {
  title: string
  desc: string
  /** Absolute URL of the image (WeChat shows it as the card's thumbnail). */
  imgUrl: string
}

interface WxCallbacks {
  success?: () => void
  fail?: (res: { errMsg?: string }) => void
}

/** The part of `window.wx` this module uses. */
export interface Wx {
  config(options: {
    debug: boolean
    appId: string
    timestamp: number
    nonceStr: string
    signature: string
    jsApiList: string[]
  }): void
  ready(callback: () => void): void
  error(callback: (res: { errMsg?: string }) => void): void
  updateAppMessageShareData(options: ShareContent & { link: string } & WxCallbacks): void
  updateTimelineShareData(
    options: Omit<ShareContent, 'desc'> & { link: string } & WxCallbacks,
  ): void
}

declare global {
  interface Window {
    wx?: Wx
  }
}

/** iPhone, iPad and iPod WeChat (WKWebView) sign against the entry URL. */
export function isIos(userAgent: string): boolean {
  return /iPhone|iPad|iPod/i.test(userAgent)
}

/** The URL `wx.config` must be signed for: iOS the entry URL, Android the current one; no fragment. */
export function signatureUrl(userAgent: string, entryUrl: string, href: string): string {
  const url = isIos(userAgent) && entryUrl !== '' ? entryUrl : href
  return url.split('#')[0] ?? url
}

/**
 * The link a share card opens: the current page without `code`/`state` (a shared link must never
 * replay a login); in hash mode the `#/route` is the page, so it is kept, in history mode dropped.
 */
export function shareLink(href: string, mode: RouterMode): string {
  const clean = stripAuthParams(href)
  return mode === 'hash' ? clean : (clean.split('#')[0] ?? clean)
}

/** WeChat cuts a share description after a few lines; longer text only costs bytes. */
const SHARE_DESC_MAX = 120

/**
 * The thumbnail of a card whose activity has no cover WeChat can fetch (public/share-icon.png, the
 * cover's check mark, square as WeChat shows it), under the app's base path.
 */
export const SHARE_ICON_PATH = `${BASE_URL}share-icon.png`

/**
 * The share card of an activity: its title, the start of its description, and as its thumbnail
 * the cover, or the app's icon when the cover is no http(s) URL: WeChat fetches the image itself,
 * so a `data:` URI (the demo's cover) would leave the card with WeChat's generic thumbnail.
 */
export function activityShareContent(
  activity: Pick<ActivityResponse, 'title' | 'description' | 'coverUrl'>,
  href: string,
): ShareContent {
  const desc = activity.description.replace(/\s+/g, ' ').trim()
  let imgUrl = new URL(SHARE_ICON_PATH, href).href
  try {
    const cover = new URL(activity.coverUrl, href)
    if (activity.coverUrl && /^https?:$/.test(cover.protocol)) imgUrl = cover.href
  } catch {
    // an unusable cover URL: the icon
  }
  return {
    title: activity.title,
    desc: desc.length > SHARE_DESC_MAX ? `${desc.slice(0, SHARE_DESC_MAX - 1)}…` : desc,
    imgUrl,
  }
}

let loading: Promise<Wx> | null = null

/** Load jweixin once (a script tag); concurrent calls share it. A failed load may be tried again. */
export function loadJssdk(doc: Document = document, win: Window = window): Promise<Wx> {
  if (win.wx) return Promise.resolve(win.wx)
  loading ??= new Promise<Wx>((resolve, reject) => {
    const script = doc.createElement('script')
    script.src = JSSDK_SCRIPT_URL
    script.async = true
    script.onload = () => {
      if (win.wx) resolve(win.wx)
      else reject(new Error(`${JSSDK_SCRIPT_URL} loaded but defined no window.wx`))
    }
    script.onerror = () => {
      script.remove()
      reject(new Error(`could not load ${JSSDK_SCRIPT_URL}`))
    }
    doc.head.appendChild(script)
  }).finally(() => {
    // Loaded: `window.wx` answers from now on. Failed: a later page view may try again.
    loading = null
  })
  return loading
}

/** Everything {@link setupWechatShare} reads from its environment (injectable for tests). */
export interface ShareEnvironment {
  /** A snapshot-page guest: no JS-SDK (WeChat's preview cannot use it). */
  snapshot: boolean
  /** The signature of a URL (`GET /api/jssdk/config`, through the login's `quietApi`). */
  fetchConfig: (url: string) => Promise<JssdkConfigResponse>
  /** The URL the page was entered with (`useWechatAuth().entryUrl`); `''`: the current one. */
  entryUrl?: string
  userAgent?: string
  href?: string
  mode?: RouterMode
  load?: () => Promise<Wx>
}

/**
 * Configure the JS-SDK and set the share card. Resolves `true` once the card is set, `false` when
 * skipped (outside WeChat, snapshot guest) or when anything failed (logged). Never rejects.
 */
export async function setupWechatShare(
  content: ShareContent,
  env: ShareEnvironment,
): Promise<boolean> {
  const userAgent = env.userAgent ?? navigator.userAgent
  if (env.snapshot || !isWechatBrowser(userAgent)) return false
  const href = env.href ?? window.location.href
  try {
    const [wx, config] = await Promise.all([
      (env.load ?? loadJssdk)(),
      env.fetchConfig(signatureUrl(userAgent, env.entryUrl ?? '', href)),
    ])
    const link = shareLink(href, env.mode ?? ROUTER_MODE)
    return await new Promise<boolean>((resolve) => {
      wx.config({
        debug: false,
        appId: config.appId,
        timestamp: config.timestamp,
        nonceStr: config.nonceStr,
        signature: config.signature,
        jsApiList: [...SHARE_API_LIST],
      })
      wx.ready(() => {
        const fail = (res: { errMsg?: string }) =>
          console.warn('[wxauth] setting the share card failed:', res.errMsg)
        wx.updateAppMessageShareData({ ...content, link, fail })
        wx.updateTimelineShareData({
          title: content.title,
          link,
          imgUrl: content.imgUrl,
          fail,
        })
        resolve(true)
      })
      wx.error((res) => {
        // e.g. "config:invalid signature": the signed URL is not the one WeChat checks.
        console.warn('[wxauth] wx.config failed:', res.errMsg)
        resolve(false)
      })
    })
  } catch (error) {
    console.warn(
      '[wxauth] JS-SDK sharing unavailable:',
      error instanceof Error ? error.message : String(error),
    )
    return false
  }
}
