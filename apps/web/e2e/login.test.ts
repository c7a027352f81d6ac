/**
 * The login, end to end: the built SPA (history mode) in Chromium with a WeChat user agent on a
 * phone viewport, served by the BFF, against the WeChat simulator.
 */
import { describe, expect, it } from 'vitest'
import { screenshot, skipWithoutChrome } from './support/browser.js'
import { allowConsent, denyConsent, settled, text } from './support/flows.js'
import { useBrowserSuite } from './support/suite.js'

const AUTHORIZE = 'connect/oauth2/authorize'
const EXCHANGE = 'sns/oauth2/access_token'
const USERINFO = 'sns/userinfo'

describe.skipIf(skipWithoutChrome())('login in the WeChat browser (history mode)', () => {
  const suite = useBrowserSuite('history')

  /** A new phone (fresh profile: no cookie, no storage). */
  const newPhone = () => suite.openPhone()

  /** Sign `persona` up with consent (join → upgrade → 允许), in a throwaway phone. */
  async function signUp(persona: string): Promise<void> {
    await suite.stack.control('consent', { action: 'page', persona })
    const other = await suite.openPhone()
    try {
      await other.page.goto(`${suite.stack.origin}/`)
      await other.page.tap('[data-test=join]')
      await other.page.tap('[data-test=screen-upgrade] [data-test=retry]')
      await allowConsent(other.page, persona)
      await other.page.waitForSelector('[data-test=nickname]')
    } finally {
      await other.close()
    }
    await suite.stack.control('reset')
  }

  it('first login: silent base session, then the profile with consent on a tap', async () => {
    const { page } = await newPhone()
    await page.goto(`${suite.stack.origin}/`)
    await settled(page)
    // automatic login is silent (snsapi_base): a session, no profile yet, no consent page
    expect(page.url()).toBe(`${suite.stack.origin}/`)
    expect(await page.locator('[data-test=nickname]').count()).toBe(0)
    await screenshot(page, 'activity-base-session')

    await page.tap('[data-test=join]')
    await page.waitForSelector('[data-test=screen-upgrade]')
    await screenshot(page, 'screen-upgrade')
    await page.tap('[data-test=retry]')
    await page.waitForSelector('[data-test=mock-consent]')
    await screenshot(page, 'wechat-consent')
    await allowConsent(page, 'alice')

    await page.waitForSelector('[data-test=nickname]')
    expect(await text(page, '[data-test=nickname]')).toBe('陈小雨 Alice')
    expect(page.url()).toBe(`${suite.stack.origin}/`) // code and state cleaned from the address bar
    await page.tap('[data-test=join]')
    await page.waitForSelector('[data-test=joined]')
    await screenshot(page, 'activity-joined')

    expect(await suite.stack.count(EXCHANGE)).toBe(2) // one per code: base, then userinfo
    expect(await suite.stack.count(USERINFO)).toBe(1)
  })

  it('returning user: a silent login finds the stored profile, no consent', async () => {
    await signUp('emoji')
    const { page } = await newPhone()
    await suite.stack.control('consent', { action: 'page', persona: 'emoji' })
    await page.goto(`${suite.stack.origin}/me`)
    await page.waitForSelector('[data-test=nickname]')
    expect(await text(page, '[data-test=nickname]')).toBe('🌸樱花酱🍡 Sakura ✨')
    expect(await text(page, '[data-test=scope]')).toContain('snsapi_base')
    expect(page.url()).toBe(`${suite.stack.origin}/me`)
    await screenshot(page, 'profile-returning')
    const calls = await suite.stack.calls()
    expect(calls.counts[EXCHANGE]).toBe(1)
    expect(calls.counts[USERINFO] ?? 0).toBe(0)
    expect(calls.calls.filter((c) => c.endpoint === AUTHORIZE).map((c) => c.params.scope)).toEqual([
      'snsapi_base',
    ])
  })

  it('reload after login: no second exchange, no consent, still signed in', async () => {
    const { page } = await newPhone()
    await page.goto(`${suite.stack.origin}/me`)
    await settled(page)
    expect(await suite.stack.count(EXCHANGE)).toBe(1)
    await page.reload()
    await page.waitForSelector('[data-test=scope]')
    await page.reload()
    await page.waitForSelector('[data-test=scope]')
    expect(page.url()).toBe(`${suite.stack.origin}/me`)
    expect(await suite.stack.count(AUTHORIZE)).toBe(1)
    expect(await suite.stack.count(EXCHANGE)).toBe(1)
  })

  it('back button after login: no bounce to WeChat', async () => {
    const { page } = await newPhone()
    await page.goto(`${suite.stack.origin}/me`)
    await page.waitForSelector('[data-test=scope]')
    expect(await suite.stack.count(AUTHORIZE)).toBe(1)

    // history: [/me (left for WeChat), /me (back from WeChat)]; back lands on the page that had
    // started the trip, which must now find the session instead of leaving again
    await page.goBack()
    await settled(page)
    await page.waitForSelector('[data-test=scope]')
    expect(page.url()).toBe(`${suite.stack.origin}/me`)
    expect(await suite.stack.count(AUTHORIZE)).toBe(1)
    expect(await suite.stack.count(EXCHANGE)).toBe(1)
  })

  it('back button to a page that would redirect: a button, never a bounce', async () => {
    const { page, context } = await newPhone()
    await page.goto(`${suite.stack.origin}/me`)
    await page.waitForSelector('[data-test=scope]')
    await context.clearCookies() // the session is gone: that page would start a login again
    await page.goBack()
    await page.waitForSelector('[data-test=screen-loop-stopped]')
    await screenshot(page, 'screen-loop-stopped')
    expect(await suite.stack.count(AUTHORIZE)).toBe(1)

    await page.tap('[data-test=retry]') // a tap always goes
    await page.waitForSelector('[data-test=scope]')
    expect(await suite.stack.count(AUTHORIZE)).toBe(2)
  })

  it('cancelled login: the cancelled screen, no automatic redirect', async () => {
    const { page } = await newPhone()
    await suite.stack.control('consent', {
      action: 'page',
      persona: 'nounion',
      denyMode: 'state-only',
    })
    await page.goto(`${suite.stack.origin}/`)
    await page.tap('[data-test=join]')
    await page.tap('[data-test=screen-upgrade] [data-test=retry]')
    await denyConsent(page)

    await page.waitForSelector('[data-test=screen-cancelled]')
    await screenshot(page, 'screen-cancelled')
    expect(page.url()).toBe(`${suite.stack.origin}/`) // the state-only callback was cleaned
    await page.waitForTimeout(300) // time enough for a (wrong) automatic redirect to start
    expect(await suite.stack.count(AUTHORIZE)).toBe(2)
    expect(await page.locator('[data-test=screen-cancelled]').isVisible()).toBe(true)

    // "not now": back to the activity with the existing base session
    await page.tap('[data-test=secondary]')
    await page.waitForSelector('[data-test=activity]')
    expect(await suite.stack.count(AUTHORIZE)).toBe(2)
  })

  it('snapshot-page visitor: read-only activity with the banner, no write button', async () => {
    const { page } = await newPhone()
    await suite.stack.control('consent', { action: 'page', persona: 'snapshot' })
    await page.goto(`${suite.stack.origin}/`)
    await page.waitForSelector('[data-test=screen-snapshot]')
    await page.waitForSelector('[data-test=activity]')
    expect(await page.locator('[data-test=join]').count()).toBe(0)
    expect(await text(page, '[data-test=screen-snapshot]')).toContain('使用完整服务')
    await screenshot(page, 'screen-snapshot')
    expect(await suite.stack.count(USERINFO)).toBe(0) // a snapshot visit never calls userinfo
  })

  it('three parallel business requests with one code: exactly one code exchange', async () => {
    const { page } = await newPhone()
    await suite.stack.control('latency', { ms: 400 }) // keep the exchange in flight while all arrive
    const withCode: Array<{ path: string; code: string | undefined }> = []
    page.on('request', (request) => {
      const url = new URL(request.url())
      if (!url.pathname.startsWith('/api/') || url.pathname === '/api/auth/authorize-url') return
      withCode.push({ path: url.pathname, code: request.headers()['x-wechat-code'] })
    })
    // A third business request on first load, beside the SPA's own two (session + activity):
    // page code reading the landing URL before the SPA boots, as an embedded widget would.
    await page.addInitScript(() => {
      const query = new URLSearchParams(location.search)
      const code = query.get('code')
      const state = query.get('state')
      if (code && state) {
        void fetch('/api/activity', { headers: { 'x-wechat-code': code, 'x-wechat-state': state } })
      }
    })
    const responses: number[] = []
    page.on('response', (response) => {
      if (response.request().headers()['x-wechat-code']) responses.push(response.status())
    })
    await page.goto(`${suite.stack.origin}/`) // no session: 401, silent trip to WeChat, back with a code
    await page.waitForSelector('[data-test=activity]')
    await expect.poll(() => responses.length).toBe(3)

    const carried = withCode.filter((r) => r.code !== undefined)
    expect(carried).toHaveLength(3)
    expect(new Set(carried.map((r) => r.code)).size).toBe(1)
    expect(responses).toEqual([200, 200, 200])
    expect(await suite.stack.count(EXCHANGE)).toBe(1)
  })
})
