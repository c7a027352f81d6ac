/**
 * JS-SDK sharing in the WeChat browser (history-mode build): the page loads jweixin on demand,
 * `wx.config` gets a signature that verifies for the right URL (iOS: the URL the page was opened
 * with, code included; Android: the current one), and the share card links to the page without
 * code/state. `https://res.wx.qq.com/**` is routed to a stub `window.wx` that records every call
 * into `window.__wxCalls`; the signature is checked with a sha1 over the simulator's own ticket.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DEFAULT_APP } from '../../../packages/mock-wechat/src/index.js'
import { WECHAT_UA, skipWithoutChrome, type Phone } from './support/browser.js'
import { useBrowserSuite } from './support/suite.js'
import { settled } from './support/flows.js'

const ANDROID_WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, ' +
  'like Gecko) Version/4.0 Chrome/126.0.6478.188 Mobile Safari/537.36 XWEB/1260117 ' +
  'MMWEBSDK/20240404 MicroMessenger/8.0.50.2701(0x28003237) WeChat/arm64 Weixin NetType/WIFI ' +
  'Language/zh_CN ABI/arm64'

/** Stands in for jweixin-1.6.0.js: records config, ready and the share calls; ready fires. */
const WX_STUB = `(function () {
  var calls = (window.__wxCalls = { scripts: 1, config: [], share: [], timeline: [], errors: [] });
  var readyCallbacks = [];
  var isReady = false;
  window.wx = {
    config: function (options) {
      calls.config.push(options);
      setTimeout(function () {
        isReady = true;
        readyCallbacks.splice(0).forEach(function (cb) { cb(); });
      }, 0);
    },
    ready: function (cb) { if (isReady) setTimeout(cb, 0); else readyCallbacks.push(cb); },
    error: function () {},
    updateAppMessageShareData: function (data) { calls.share.push(data); },
    updateTimelineShareData: function (data) { calls.timeline.push(data); }
  };
})();`

interface WxCalls {
  config: Array<{
    debug: boolean
    appId: string
    timestamp: number
    nonceStr: string
    signature: string
    jsApiList: string[]
  }>
  share: Array<{ title: string; desc: string; link: string; imgUrl: string }>
  timeline: Array<{ title: string; link: string; imgUrl: string }>
}

describe.skipIf(skipWithoutChrome())('JS-SDK sharing in the WeChat browser', () => {
  // No simulator reset in this file: the BFF keeps its jsapi_ticket cached across the tests, and
  // the simulator must keep answering the same one.
  const suite = useBrowserSuite('history', { resetEachTest: false })
  let phone: Phone | undefined

  /** The jsapi_ticket, asked of the simulator directly (stable_token in normal mode is shared). */
  async function simulatorTicket(): Promise<string> {
    const token = (await (
      await fetch(`${suite.stack.wechat}/cgi-bin/stable_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credential',
          appid: DEFAULT_APP.appid,
          secret: DEFAULT_APP.secret,
          force_refresh: false,
        }),
      })
    ).json()) as { access_token: string }
    const ticket = (await (
      await fetch(
        `${suite.stack.wechat}/cgi-bin/ticket/getticket?access_token=${token.access_token}&type=jsapi`,
      )
    ).json()) as { ticket: string }
    return ticket.ticket
  }

  /** Open the site in `userAgent`'s WeChat, with jweixin stubbed; returns what was recorded. */
  async function openSite(userAgent: string): Promise<{
    page: Page
    landingUrl: string
    scriptRequests: string[]
    calls: WxCalls
  }> {
    phone = await suite.openPhone(userAgent)
    const { page, context } = phone
    const scriptRequests: string[] = []
    await context.route('https://res.wx.qq.com/**', (route) => {
      scriptRequests.push(route.request().url())
      return route.fulfill({ status: 200, contentType: 'application/javascript', body: WX_STUB })
    })
    let landingUrl = ''
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.url().includes('code=')) {
        landingUrl = request.url()
      }
    })
    await page.goto(`${suite.stack.origin}/`)
    await settled(page)
    // Functions, not strings: the page's CSP forbids eval, which a string predicate would need.
    const recorded = () => (window as unknown as { __wxCalls?: WxCalls }).__wxCalls
    await page.waitForFunction(() => {
      const calls = (window as unknown as { __wxCalls?: WxCalls }).__wxCalls
      return calls !== undefined && calls.share.length > 0
    })
    const calls = (await page.evaluate(recorded)) as WxCalls
    return { page, landingUrl, scriptRequests, calls }
  }

  function sha1Signature(ticket: string, c: WxCalls['config'][number], url: string): string {
    const plain = `jsapi_ticket=${ticket}&noncestr=${c.nonceStr}&timestamp=${c.timestamp}&url=${url}`
    return createHash('sha1').update(plain).digest('hex')
  }

  it('iOS: signs the URL the page was opened with (code included); shares it without code/state', async () => {
    const { page, landingUrl, scriptRequests, calls } = await openSite(WECHAT_UA)
    expect(landingUrl).toMatch(new RegExp(`^${suite.stack.origin}/\\?code=[^&]+&state=`))
    expect(page.url()).toBe(`${suite.stack.origin}/`)
    expect(scriptRequests).toEqual(['https://res.wx.qq.com/open/js/jweixin-1.6.0.js'])

    expect(calls.config).toHaveLength(1)
    const config = calls.config[0]!
    expect(config).toMatchObject({
      debug: false,
      appId: DEFAULT_APP.appid,
      jsApiList: ['updateAppMessageShareData', 'updateTimelineShareData'],
    })
    const ticket = await simulatorTicket()
    expect(config.signature).toBe(sha1Signature(ticket, config, landingUrl.split('#')[0]!))
    expect(config.signature).not.toBe(sha1Signature(ticket, config, `${suite.stack.origin}/`))

    const title = await page.locator('.activity__title').textContent()
    expect(calls.share).toEqual([
      expect.objectContaining({ title, link: `${suite.stack.origin}/` }),
    ])
    // The demo activity's cover is a data: URI, which WeChat cannot fetch: the app's icon instead,
    // an image the BFF serves
    const icon = `${suite.stack.origin}/share-icon.png`
    expect(calls.share[0]?.imgUrl).toBe(icon)
    expect(calls.timeline[0]?.imgUrl).toBe(icon)
    const served = await fetch(icon)
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect((await served.arrayBuffer()).byteLength).toBeGreaterThan(1000)
    expect(calls.timeline).toEqual([
      expect.objectContaining({ title, link: `${suite.stack.origin}/` }),
    ])
    for (const data of [...calls.share, ...calls.timeline]) {
      expect(data.link).not.toMatch(/code=|state=/)
    }
  })

  it('Android: signs the current URL, without the code the page landed with', async () => {
    const { landingUrl, calls } = await openSite(ANDROID_WECHAT_UA)
    expect(landingUrl).toContain('code=')
    const config = calls.config[0]!
    const ticket = await simulatorTicket()
    expect(config.signature).toBe(sha1Signature(ticket, config, `${suite.stack.origin}/`))
    expect(calls.share[0]?.link).toBe(`${suite.stack.origin}/`)
  })
})
