/**
 * What the user sees when something goes wrong, end to end: WeChat unavailable or slow, a login
 * that keeps failing (the loop guard), a logout, and a production page opened outside WeChat.
 * Every screen passes axe-core and has no layout shift (checkScreen).
 */
import { describe, expect, it } from 'vitest'
import { DESKTOP_UA, screenshot, skipWithoutChrome, type Phone } from './support/browser.js'
import { checkScreen } from './support/checks.js'
import { useBrowserSuite } from './support/suite.js'
import { settled } from './support/flows.js'

const AUTHORIZE = 'connect/oauth2/authorize'
const EXCHANGE = 'sns/oauth2/access_token'

describe.skipIf(skipWithoutChrome())('screens in the WeChat browser', () => {
  const suite = useBrowserSuite('history')
  let phone: Phone | undefined

  it('WeChat unavailable during the exchange: a retry screen, then the login completes', async () => {
    phone = await suite.openPhone()
    const { page } = phone
    await suite.stack.control('fail', { endpoint: EXCHANGE, mode: 'errcode', errcode: -1 })
    await page.goto(`${suite.stack.origin}/me`)
    await page.waitForSelector('[data-test=screen-unavailable]')
    await checkScreen(page, 'screen-unavailable')

    // WeChat spent the code on the failed attempt; retry gets CODE_USED and starts one fresh trip
    await page.tap('[data-test=retry]')
    await page.waitForSelector('[data-test=profile]')
    expect(page.url()).toBe(`${suite.stack.origin}/me`)
    expect(await suite.stack.count(AUTHORIZE)).toBe(2)
  })

  it('offline: the network drops after the page loaded, and the shell shows its own retry screen', async () => {
    phone = await suite.openPhone()
    const { page } = phone
    // Nothing reaches the server any more: the API calls and the screens' chunk both fail.
    const offline = /\/api\/|\/assets\/AuthScreen-/
    await page.route(offline, (route) => route.abort('internetdisconnected'))
    await page.goto(`${suite.stack.origin}/`)
    await page.waitForSelector('[data-test=screen-offline]')
    await checkScreen(page, 'screen-offline')

    // back online: 重试 carries on, and the login completes
    await page.unroute(offline)
    await page.tap('[data-test=retry]')
    await page.waitForSelector('[data-test=activity]')
  })

  it('a login that keeps failing stops after two automatic trips, with a button', async () => {
    phone = await suite.openPhone()
    const { page } = phone
    // The session never sticks (a cookie-eating webview, say): every call answers AUTH_REQUIRED.
    await page.route(/\/api\/(me|activity)$/, (route) =>
      route.fulfill({
        status: 401,
        json: { statusCode: 401, code: 'AUTH_REQUIRED', message: '请先登录' },
      }),
    )
    await page.goto(`${suite.stack.origin}/`)
    await page.waitForSelector('[data-test=screen-loop-stopped]')
    await checkScreen(page, 'screen-loop-stopped-too-many-trips')
    await page.waitForTimeout(200) // a third trip would have started by now
    expect(await suite.stack.count(AUTHORIZE)).toBe(2)
    expect(await page.locator('[data-test=screen-loop-stopped]').isVisible()).toBe(true)

    await page.unroute(/\/api\/(me|activity)$/)
    await page.tap('[data-test=retry]') // a manual tap always goes
    await page.waitForSelector('[data-test=activity]')
    expect(await suite.stack.count(AUTHORIZE)).toBe(3)
  })

  it('logout: the signed-out screen, and no silent login behind the user’s back', async () => {
    phone = await suite.openPhone()
    const { page } = phone
    await page.goto(`${suite.stack.origin}/me`)
    await page.waitForSelector('[data-test=profile]')
    await page.tap('[data-test=logout]')
    await page.waitForSelector('[role=alertdialog]')
    await checkScreen(page, 'dialog-logout')
    await page.tap('[data-test=dialog-confirm]')
    await page.waitForSelector('[data-test=screen-signed-out]')
    await checkScreen(page, 'screen-signed-out')
    const status = await page.evaluate(async () => (await fetch('/api/me')).status)
    expect(status).toBe(401)
    await page.waitForTimeout(300) // time enough for a (wrong) silent login to start
    expect(await page.locator('[data-test=screen-signed-out]').isVisible()).toBe(true)
    expect(await suite.stack.count(AUTHORIZE)).toBe(1)

    await page.tap('[data-test=retry]')
    await page.waitForSelector('[data-test=profile]')
    expect(await suite.stack.count(AUTHORIZE)).toBe(2)
    expect(await suite.stack.count(EXCHANGE)).toBe(2)
  })

  it('outside WeChat, the production build shows a QR code and never starts a login', async () => {
    phone = await suite.openPhone(DESKTOP_UA)
    const { page } = phone
    const api: string[] = []
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) api.push(request.url())
    })
    await page.goto(`${suite.stack.origin}/me?from=desktop`)
    await settled(page)
    await page.waitForSelector('[data-test=screen-open-in-wechat] [data-test=qr-code]')
    const qr = page.locator('[data-test=qr-code]')
    expect(await qr.getAttribute('width')).toBe('200')
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    await checkScreen(page, 'screen-open-in-wechat')
    expect(api).toEqual([])
    expect(await suite.stack.count(AUTHORIZE)).toBe(0)
  })

  it('退出登录 asks first: 取消 keeps the session, focus back on the button', async () => {
    phone = await suite.openPhone()
    const { page } = phone
    await page.goto(`${suite.stack.origin}/me`)
    await page.waitForSelector('[data-test=profile]')
    await page.focus('[data-test=logout]')
    await page.keyboard.press('Enter')
    await page.waitForSelector('[role=alertdialog]')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-test'))).toBe(
      'dialog-cancel',
    )
    // keyboard focus is visible (WeUI's reset hides every outline; ours brings it back)
    const outline = await page.$eval(
      '[data-test=dialog-cancel]',
      (el) => getComputedStyle(el).outlineStyle,
    )
    expect(outline).toBe('solid')
    await page.keyboard.press('Escape')
    await page.waitForSelector('[role=alertdialog]', { state: 'detached' })
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-test'))).toBe(
      'logout',
    )
    const status = await page.evaluate(async () => (await fetch('/api/me')).status)
    expect(status).toBe(200) // still signed in
  })

  it('slow WeChat: the page says so after 2 s, and its first frame is never blank', async () => {
    phone = await suite.openPhone()
    const { page } = phone
    // the served HTML already paints the background and the skeleton
    const html = await (await fetch(`${suite.stack.origin}/me`)).text()
    expect(html).toContain('data-test="boot-skeleton"')

    // When the toast and the skeleton appear and when they say WeChat is slow, in every document
    // (playwright's own waits pause while a navigation is pending, and the page is leaving)
    const marks: Array<{ what: string; doc: number; at: number }> = []
    await page.exposeFunction('__mark', (what: string, doc: number) => {
      marks.push({ what, doc, at: Date.now() })
    })
    await page.addInitScript(() => {
      const mark = (window as unknown as { __mark(what: string, doc: number): void }).__mark
      const doc = performance.timeOrigin
      const seen = new Set<string>()
      const once = (what: string, now: boolean) => {
        if (now && !seen.has(what)) {
          seen.add(what)
          mark(what, doc)
        }
      }
      new MutationObserver(() => {
        const toast = document.querySelector('[data-test=redirecting]')
        const hint = document.querySelector('[data-test=slow-hint]')
        once('toast', toast !== null)
        once('toast-slow', toast?.textContent?.includes('微信响应较慢') === true)
        once('hint', hint !== null)
        once('hint-slow', hint?.textContent?.includes('微信响应较慢') === true)
      }).observe(document, { subtree: true, childList: true, characterData: true })
    })
    const at = (what: string, doc?: number) =>
      marks.find((m) => m.what === what && (doc === undefined || m.doc === doc))

    // the first frame, with the app's JS held back: the inline skeleton on the page background
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    await page.route(/\/assets\/index-[^/]+\.js$/, async (route) => {
      await held
      await route.continue()
    })
    await suite.stack.control('latency', { endpoint: AUTHORIZE, ms: 3000 })
    await suite.stack.control('latency', { endpoint: EXCHANGE, ms: 4000 }) // under the BFF's 5 s
    await page.goto(`${suite.stack.origin}/me`, { waitUntil: 'commit' })
    await page.waitForSelector('[data-test=boot-skeleton] .skeleton_cover', { state: 'visible' })
    await screenshot(page, 'first-frame')
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(237, 237, 237)',
    )
    release()

    // leaving for WeChat's (slow) authorize page: 正在登录…, then the word after 2 s
    await expect.poll(() => at('toast-slow'), { timeout: 10_000 }).toBeDefined()
    expect(at('toast-slow')!.at - at('toast')!.at).toBeGreaterThanOrEqual(1900)

    // back with a code, the BFF waits for WeChat's (slow) token endpoint: the skeleton says so
    const left = at('toast')!.doc
    const backSlow = () => marks.find((m) => m.what === 'hint-slow' && m.doc !== left)
    await expect.poll(backSlow, { timeout: 10_000 }).toBeDefined()
    const back = backSlow()!
    expect(back.at - at('hint', back.doc)!.at).toBeGreaterThanOrEqual(1900)
    await checkScreen(page, 'skeleton-slow-wechat')
    await page.waitForSelector('[data-test=profile]', { timeout: 10_000 })
    await checkScreen(page, 'profile-after-slow-wechat')
  })
})
