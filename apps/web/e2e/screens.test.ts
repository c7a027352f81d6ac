/**
 * What the user sees when something goes wrong, end to end: WeChat unavailable, a login that keeps
 * failing (the loop guard), a logout, and a production page opened outside WeChat.
 */
import { describe, expect, it } from 'vitest'
import { DESKTOP_UA, screenshot, skipWithoutChrome, type Phone } from './support/browser.js'
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
    await screenshot(page, 'screen-unavailable')

    // WeChat spent the code on the failed attempt; retry gets CODE_USED and starts one fresh trip
    await page.tap('[data-test=retry]')
    await page.waitForSelector('[data-test=scope]')
    expect(page.url()).toBe(`${suite.stack.origin}/me`)
    expect(await suite.stack.count(AUTHORIZE)).toBe(2)
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
    await page.waitForTimeout(500) // a third trip would have started by now
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
    await page.waitForSelector('[data-test=scope]')
    await page.tap('[data-test=logout]')
    await page.waitForSelector('[data-test=screen-signed-out]')
    await screenshot(page, 'screen-signed-out')
    const status = await page.evaluate(async () => (await fetch('/api/me')).status)
    expect(status).toBe(401)
    await page.waitForTimeout(300) // time enough for a (wrong) silent login to start
    expect(await page.locator('[data-test=screen-signed-out]').isVisible()).toBe(true)
    expect(await suite.stack.count(AUTHORIZE)).toBe(1)

    await page.tap('[data-test=retry]')
    await page.waitForSelector('[data-test=scope]')
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
    await screenshot(page, 'screen-open-in-wechat')
    expect(api).toEqual([])
    expect(await suite.stack.count(AUTHORIZE)).toBe(0)
  })
})
