/**
 * Every scenario of `pnpm dev:mock` in Chromium with a WeChat user agent on a 390×844 phone that
 * has no network: the SPA boots unchanged against the mock BFF (a service worker), the login goes
 * the real way through the mock consent page, and each scenario ends on its screen.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { MOCK_AUTHORIZE_PATH } from '../../../../packages/vue/src/mock/authorize.js'
import { EXPIRED_SESSION_LIFE_MS } from '../../../../packages/vue/src/mock/scenarios.js'
import { MOCK_STATE_KEY } from '../../../../packages/vue/src/mock/state.js'
import { screenshot, skipWithoutChrome } from '../support/browser.js'
import { allowConsent, text } from '../support/flows.js'
import { useDevMock } from './dev-server.js'

/** A page load in Vite's dev server takes a second or two (modules are served one by one). */
const POLL = { timeout: 20_000 }

/** What a page did: its trips to the mock authorize page, and any request that failed. */
function watch(page: Page) {
  const trips: string[] = []
  const failed: string[] = []
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (request.isNavigationRequest() && url.pathname === MOCK_AUTHORIZE_PATH) {
      trips.push(url.searchParams.get('scope') ?? '')
    }
  })
  // Off the page's own origin: the phone is offline, so any such request fails, and none may be
  // tried. (A module request of the dev server itself may be aborted by the trip to the consent page.)
  page.on('requestfailed', (request) => {
    if (new URL(request.url()).origin !== new URL(page.url()).origin) failed.push(request.url())
  })
  return { trips, failed }
}

describe.skipIf(skipWithoutChrome())('pnpm dev:mock scenarios', () => {
  const suite = useDevMock()

  /** A fresh phone on `path` (with `?mock=`), watched. */
  async function open(path: string) {
    const { page } = await suite.openPhone()
    const seen = watch(page)
    await page.goto(`${suite.server.origin}${path}`)
    return { page, ...seen }
  }

  it('prints the URL and every scenario', () => {
    const output = suite.server.output()
    expect(output).toContain(`${suite.server.origin}/`)
    for (const name of [
      'new',
      'returning',
      'snapshot',
      'cancelled',
      'unavailable',
      'loop',
      'expired',
    ]) {
      expect(output).toContain(`${suite.server.origin}/?mock=${name}`)
    }
  })

  it('new: a silent login, then join → consent → joined', async () => {
    const { page, trips, failed } = await open('/?mock=new')
    await page.waitForSelector('[data-test=activity]')
    expect(page.url()).toBe(`${suite.server.origin}/`) // no mock=, no code, no state
    expect(await page.locator('[data-test=nickname]').count()).toBe(0)
    expect(await text(page, '[data-test=participant-count]')).toBe('3')

    await page.tap('[data-test=join]')
    await page.waitForSelector('[data-test=screen-upgrade]')
    await page.tap('[data-test=retry]')
    await page.waitForSelector('[data-test=mock-consent]')
    await screenshot(page, 'mock-new-consent')
    await allowConsent(page, 'alice')

    // Back from consent, the sign-up the tap started completes by itself, once.
    await page.waitForSelector('[data-test=nickname]')
    expect(await text(page, '[data-test=nickname]')).toBe('陈小雨 Alice')
    expect(page.url()).toBe(`${suite.server.origin}/`)
    await page.waitForSelector('[data-test=joined]')
    expect(await text(page, '[data-test=toast]')).toContain('报名成功')
    expect(await text(page, '[data-test=participant-count]')).toBe('4')
    await screenshot(page, 'mock-new-joined')
    expect(trips).toEqual(['snsapi_base', 'snsapi_userinfo'])
    expect(failed).toEqual([]) // nothing tried the network
  })

  it('returning: the silent login finds the stored profile, no consent page', async () => {
    const { page, trips, failed } = await open('/me?mock=returning')
    await page.waitForSelector('[data-test=nickname]')
    expect(await text(page, '[data-test=nickname]')).toBe('陈小雨 Alice')
    expect(await text(page, '[data-test=scope]')).toContain('snsapi_base')
    expect(page.url()).toBe(`${suite.server.origin}/me`)
    await screenshot(page, 'mock-returning')
    expect(trips).toEqual(['snsapi_base'])
    expect(failed).toEqual([])
  })

  it('snapshot: a read-only page with the snapshot banner', async () => {
    const { page } = await open('/?mock=snapshot')
    await page.waitForSelector('[data-test=activity]')
    await page.waitForSelector('[data-test=screen-snapshot]')
    expect(await page.locator('[data-test=join]').count()).toBe(0)
    await screenshot(page, 'mock-snapshot')
  })

  it('cancelled: back with the state only, the cancelled screen, no automatic retry', async () => {
    const { page, trips } = await open('/?mock=cancelled')
    await page.waitForSelector('[data-test=screen-cancelled]')
    expect(page.url()).toBe(`${suite.server.origin}/`)
    await page.waitForTimeout(300) // time enough for a (wrong) automatic login to start
    expect(trips).toHaveLength(1)
    await screenshot(page, 'mock-cancelled')
  })

  it('unavailable: the retry screen, which keeps the code; the login completes once WeChat is back', async () => {
    const { page, trips } = await open('/?mock=unavailable')
    await page.waitForSelector('[data-test=screen-unavailable]')
    await screenshot(page, 'mock-unavailable')
    await page.tap('[data-test=retry]')
    await page.waitForSelector('[data-test=screen-unavailable]')
    expect(trips).toHaveLength(1) // a retry is no new trip: the code is kept

    // WeChat comes back (the scenario is switched without a reload): the same code now logs in
    await page.evaluate((key) => {
      const state = JSON.parse(sessionStorage.getItem(key) ?? '{}') as { scenario: string }
      sessionStorage.setItem(key, JSON.stringify({ ...state, scenario: 'new' }))
    }, MOCK_STATE_KEY)
    await page.tap('[data-test=retry]')
    await page.waitForSelector('[data-test=activity]')
    expect(trips).toHaveLength(1)
  })

  it('loop: two automatic trips, then the loop-stopped screen; a tap still goes', async () => {
    const { page, trips } = await open('/?mock=loop')
    await page.waitForSelector('[data-test=screen-loop-stopped]')
    await page.waitForTimeout(500) // a third trip would have started by now
    expect(trips).toEqual(['snsapi_base', 'snsapi_base'])
    await screenshot(page, 'mock-loop-stopped')
    // The tap goes and resets the guard; its code is refused too, one automatic trip follows, and
    // the guard stops the page again.
    await page.tap('[data-test=retry]')
    await expect.poll(() => trips.length, POLL).toBe(4)
    await page.waitForSelector('[data-test=screen-loop-stopped]')
    await page.waitForTimeout(500)
    expect(trips).toHaveLength(4)
  })

  it('expired: signed in, then the session ends; the next call logs in again by itself', async () => {
    const { page, trips } = await open('/?mock=expired')
    await page.waitForSelector('[data-test=nickname]')
    expect(trips).toEqual([]) // signed in without a login
    await page.waitForTimeout(EXPIRED_SESSION_LIFE_MS + 200)

    await page.tap('[data-test=join]') // answered 401 AUTH_REQUIRED: the session has ended
    await expect.poll(() => trips, POLL).toEqual(['snsapi_base'])
    await page.waitForSelector('[data-test=join]')
    expect(await text(page, '[data-test=nickname]')).toBe('陈小雨 Alice')
    await page.tap('[data-test=join]')
    await page.waitForSelector('[data-test=joined]')
    await screenshot(page, 'mock-expired-signed-in-again')
  })

  it('the panel: switches persona and scenario, ends the session', async () => {
    const { page, trips } = await open('/me?mock=returning')
    await page.waitForSelector('[data-test=nickname]')
    await page.tap('[data-test=mock-panel-toggle]')
    await page.waitForSelector('[data-test=mock-persona]', { state: 'visible' })
    await screenshot(page, 'mock-panel')

    await Promise.all([
      page.waitForEvent('load'),
      page.selectOption('[data-test=mock-persona]', 'emoji'),
    ])
    await page.waitForSelector('[data-test=nickname]')
    expect(await text(page, '[data-test=nickname]')).toBe('🌸樱花酱🍡 Sakura ✨')
    expect(await text(page, '[data-test=mock-current]')).toBe('returning')

    // End the session: the next call (a profile refresh) answers 401, and the page logs in again.
    await page.tap('[data-test=mock-panel-toggle]')
    await page.tap('[data-test=mock-end-session]')
    await page.tap('[data-test=mock-panel-toggle]') // closed again: it covers the page
    await page.tap('[data-test=refresh-profile]')
    await expect.poll(() => trips, POLL).toEqual(['snsapi_base', 'snsapi_base', 'snsapi_base'])
    await page.waitForSelector('[data-test=nickname]')

    await page.tap('[data-test=mock-panel-toggle]')
    await Promise.all([page.waitForEvent('load'), page.tap('[data-test=mock-scenario-cancelled]')])
    await page.waitForSelector('[data-test=screen-cancelled]')
    expect(await text(page, '[data-test=mock-current]')).toBe('cancelled')
  })

  it('Vite never reloaded a page to pre-bundle what the mock entry imports', () => {
    expect(suite.server.output()).not.toContain('optimized dependencies changed')
  })
})
