/**
 * The login, end to end: the built SPA (history mode) in Chromium with a WeChat user agent on a
 * phone viewport, served by the BFF, against the WeChat simulator. What the user tapped before
 * WeChat's consent page is completed when they come back, once. Every screen passes axe-core and
 * has no layout shift (checkScreen).
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot, skipWithoutChrome } from './support/browser.js'
import { checkScreen } from './support/checks.js'
import { allowConsent, denyConsent, settled, text } from './support/flows.js'
import { useBrowserSuite } from './support/suite.js'

const AUTHORIZE = 'connect/oauth2/authorize'
const EXCHANGE = 'sns/oauth2/access_token'
const USERINFO = 'sns/userinfo'

/** Count the page's `POST <path>` requests (the join, the profile refresh). */
function countPosts(page: Page, path: string): () => number {
  let n = 0
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === path) n += 1
  })
  return () => n
}

describe.skipIf(skipWithoutChrome())('login in the WeChat browser (history mode)', () => {
  const suite = useBrowserSuite('history')

  /** A new phone (fresh profile: no cookie, no storage). */
  const newPhone = () => suite.openPhone()

  /** Store `persona`'s profile with consent (我的 → 授权头像昵称 → 允许), in a throwaway phone. */
  async function signUp(persona: string): Promise<void> {
    await suite.stack.control('consent', { action: 'page', persona })
    const other = await suite.openPhone()
    try {
      await other.page.goto(`${suite.stack.origin}/me`)
      await other.page.waitForSelector('[data-test=profile]')
      if ((await other.page.locator('[data-test=authorize-profile]').count()) > 0) {
        await other.page.tap('[data-test=authorize-profile]')
        await allowConsent(other.page, persona)
      }
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
    await checkScreen(page, 'activity-base-session')

    await page.tap('[data-test=join]')
    await page.waitForSelector('[data-test=screen-upgrade]')
    await checkScreen(page, 'screen-upgrade')
    await page.tap('[data-test=retry]')
    await page.waitForSelector('[data-test=mock-consent]')
    await screenshot(page, 'wechat-consent')
    await allowConsent(page, 'alice')

    await page.waitForSelector('[data-test=nickname]')
    expect(await text(page, '[data-test=nickname]')).toBe('陈小雨 Alice')
    expect(page.url()).toBe(`${suite.stack.origin}/`) // code and state cleaned from the address bar
    await page.waitForSelector('[data-test=joined]') // the join they tapped, completed
    await checkScreen(page, 'activity-joined')

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
    // a silent login (the session's facts are no longer on the page: ask the BFF)
    const me = await page.evaluate(async () => (await (await fetch('/api/me')).json()) as unknown)
    expect(me).toMatchObject({ session: { scope: 'snsapi_base' } })
    expect(page.url()).toBe(`${suite.stack.origin}/me`)
    await checkScreen(page, 'profile-returning')
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
    await page.waitForSelector('[data-test=profile]')
    await page.reload()
    await page.waitForSelector('[data-test=profile]')
    expect(page.url()).toBe(`${suite.stack.origin}/me`)
    expect(await suite.stack.count(AUTHORIZE)).toBe(1)
    expect(await suite.stack.count(EXCHANGE)).toBe(1)
  })

  it('back button after login: no bounce to WeChat', async () => {
    const { page } = await newPhone()
    await page.goto(`${suite.stack.origin}/me`)
    await page.waitForSelector('[data-test=profile]')
    expect(await suite.stack.count(AUTHORIZE)).toBe(1)

    // history: [/me (left for WeChat), /me (back from WeChat)]; back lands on the page that had
    // started the trip, which must now find the session instead of leaving again
    await page.goBack()
    await settled(page)
    await page.waitForSelector('[data-test=profile]')
    expect(page.url()).toBe(`${suite.stack.origin}/me`)
    expect(await suite.stack.count(AUTHORIZE)).toBe(1)
    expect(await suite.stack.count(EXCHANGE)).toBe(1)
  })

  it('back button to a page that would redirect: a button, never a bounce', async () => {
    const { page, context } = await newPhone()
    await page.goto(`${suite.stack.origin}/me`)
    await page.waitForSelector('[data-test=profile]')
    await context.clearCookies() // the session is gone: that page would start a login again
    await page.goBack()
    await page.waitForSelector('[data-test=screen-loop-stopped]')
    await checkScreen(page, 'screen-loop-stopped-back-forward')
    expect(await suite.stack.count(AUTHORIZE)).toBe(1)

    await page.tap('[data-test=retry]') // a tap always goes
    await page.waitForSelector('[data-test=profile]')
    expect(await suite.stack.count(AUTHORIZE)).toBe(2)
  })

  it('cancelled login: the cancelled screen, no automatic redirect', async () => {
    const { page } = await newPhone()
    await suite.stack.control('consent', {
      action: 'page',
      persona: 'nounion',
      denyMode: 'state-only',
    })
    const joins = countPosts(page, '/api/activity/join')
    await page.goto(`${suite.stack.origin}/`)
    await page.tap('[data-test=join]')
    await page.tap('[data-test=screen-upgrade] [data-test=retry]')
    await denyConsent(page)

    await page.waitForSelector('[data-test=screen-cancelled]')
    expect(await text(page, '[data-test=screen-cancelled]')).toContain('报名需要') // what for
    await checkScreen(page, 'screen-cancelled')
    expect(page.url()).toBe(`${suite.stack.origin}/`) // the state-only callback was cleaned
    await page.waitForTimeout(300) // time enough for a (wrong) automatic redirect to start
    expect(await suite.stack.count(AUTHORIZE)).toBe(2)
    expect(await page.locator('[data-test=screen-cancelled]').isVisible()).toBe(true)

    // "not now": back to the activity with the existing base session; the sign-up was dropped
    await page.tap('[data-test=secondary]')
    await page.waitForSelector('[data-test=activity]')
    expect(await suite.stack.count(AUTHORIZE)).toBe(2)
    await page.waitForTimeout(300)
    expect(await page.locator('[data-test=join]').isVisible()).toBe(true)
    expect(joins()).toBe(0)
  })

  it('snapshot-page visitor: read-only activity with the banner, no write button', async () => {
    const { page } = await newPhone()
    await suite.stack.control('consent', { action: 'page', persona: 'snapshot' })
    await page.goto(`${suite.stack.origin}/`)
    await page.waitForSelector('[data-test=screen-snapshot]')
    await page.waitForSelector('[data-test=activity]')
    expect(await page.locator('[data-test=join]').count()).toBe(0)
    // WeChat's own words for the button at the foot of its snapshot page
    expect(await text(page, '[data-test=screen-snapshot]')).toContain('「使用完整服务」')
    // the banner comes with the page, never above the skeleton: no layout shift (checkScreen)
    await checkScreen(page, 'screen-snapshot')
    expect(await suite.stack.count(USERINFO)).toBe(0) // a snapshot visit never calls userinfo

    // 我的: a guest is not offered 退出登录 (nor anything else that writes)
    await page.tap('[data-test=tab-profile]')
    await page.waitForSelector('[data-test=profile] [data-test=screen-snapshot]')
    expect(await page.locator('[data-test=logout]').count()).toBe(0)
    expect(await page.locator('[data-test=profile] button').count()).toBe(0)
    await checkScreen(page, 'profile-snapshot')
  })

  it('sign-up through consent: 立即报名 → 允许 → joined once, with 报名成功; reload or back never again', async () => {
    const { page } = await newPhone()
    await suite.stack.control('consent', { action: 'page', persona: 'noavatar' }) // never joined
    const joins = countPosts(page, '/api/activity/join')
    await page.goto(`${suite.stack.origin}/`)
    await page.waitForSelector('[data-test=join]')
    const before = Number(await text(page, '[data-test=participant-count]'))

    await page.tap('[data-test=join]')
    await page.waitForSelector('[data-test=screen-upgrade]')
    const upgrade = await text(page, '[data-test=screen-upgrade]')
    expect(upgrade).toContain('报名')
    expect(upgrade).not.toContain('刷新')
    await page.tap('[data-test=retry]')
    await allowConsent(page, 'noavatar')

    await page.waitForSelector('[data-test=joined]')
    expect(await text(page, '[data-test=toast]')).toBe('报名成功')
    expect(Number(await text(page, '[data-test=participant-count]'))).toBe(before + 1)
    expect(joins()).toBe(1)
    await checkScreen(page, 'activity-joined-through-consent')

    await page.reload()
    await page.waitForSelector('[data-test=joined]')
    await page.waitForTimeout(300) // time enough for a (wrong) second join
    expect(joins()).toBe(1)
    expect(await page.locator('[data-test=toast]').count()).toBe(0)

    // back: through WeChat's consent page to the page that started the trip
    await page.goBack()
    await page.goBack()
    await page.waitForURL(`${suite.stack.origin}/`)
    await page.waitForSelector('[data-test=joined]') // what the BFF says, not a stale page
    await page.waitForTimeout(300)
    expect(joins()).toBe(1)
    const activity = await page.evaluate(
      async () =>
        (await (await fetch('/api/activity')).json()) as {
          participantCount: number
          participants: Array<{ nickname: string }>
        },
    )
    expect(activity.participantCount).toBe(before + 1)
    expect(activity.participants.filter((p) => p.nickname === '李雷')).toHaveLength(1)
  })

  it('刷新资料 through consent: completed on return with 资料已更新, once', async () => {
    await signUp('emoji')
    const { page } = await newPhone()
    await suite.stack.control('consent', { action: 'page', persona: 'emoji' })
    const refreshes = countPosts(page, '/api/me/refresh')
    await page.goto(`${suite.stack.origin}/me`)
    await page.waitForSelector('[data-test=refresh-profile]') // a silent login, the stored profile

    await page.tap('[data-test=refresh-profile]')
    await page.waitForSelector('[data-test=screen-upgrade]')
    const upgrade = await text(page, '[data-test=screen-upgrade]')
    expect(upgrade).toContain('刷新资料')
    expect(upgrade).not.toContain('报名')
    await checkScreen(page, 'screen-upgrade-refresh')
    await page.tap('[data-test=retry]')
    await allowConsent(page, 'emoji')

    await page.waitForSelector('[data-test=toast]')
    expect(await text(page, '[data-test=toast]')).toBe('资料已更新')
    expect(page.url()).toBe(`${suite.stack.origin}/me`)
    expect(refreshes()).toBe(2) // the 403 that asked for consent, then the one that worked
    await page.reload()
    await page.waitForSelector('[data-test=profile]')
    await page.waitForTimeout(300)
    expect(refreshes()).toBe(2)
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

  it('the pages as a user reads them: titles, one-line dates, no developer words, real icons', async () => {
    await signUp('alice')
    const { page } = await newPhone()
    await suite.stack.control('consent', { action: 'page', persona: 'alice' })
    await page.goto(`${suite.stack.origin}/`)
    await page.waitForSelector('[data-test=activity]')
    expect(await page.title()).toBe('活动详情')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN')

    // the seeded activity runs as its title says (60 days), and is open now
    const title = await text(page, '.activity__title')
    const activity = await page.evaluate(
      async () =>
        (await (await fetch('/api/activity')).json()) as {
          startsAt: string
          endsAt: string
        },
    )
    const days = (Date.parse(activity.endsAt) - Date.parse(activity.startsAt)) / 86_400_000
    expect(title).toContain(`${days} 天`)
    expect(await text(page, '.activity__phase')).toBe('进行中')

    // the time window is one line at 390 px (the end time never wraps onto its own)
    const time = await page.$eval('.activity__time', (el) => ({
      height: el.getBoundingClientRect().height,
      lineHeight: parseFloat(getComputedStyle(el).lineHeight),
    }))
    expect(time.height).toBeLessThanOrEqual(time.lineHeight + 0.5)

    // no follow card without the account's QR image (none configured here)
    await page.waitForTimeout(300)
    expect(await page.locator('[data-test=follow-card]').count()).toBe(0)

    // the tab bar draws its icons (SVG), no ▣ ● characters
    expect(await page.locator('.app-tabbar svg').count()).toBe(2)
    expect(await text(page, '.app-tabbar')).not.toMatch(/[▣●]/)

    await page.tap('[data-test=tab-profile]')
    await page.waitForSelector('[data-test=profile]')
    expect(await page.title()).toBe('我的')
    const profile = await text(page, '[data-test=profile]')
    for (const word of ['snsapi', 'UnionID', '授权范围', '微信用户', '登录有效期']) {
      expect(profile).not.toContain(word)
    }
    expect(await page.locator('[data-test=session-facts]').count()).toBe(0) // development only
    expect(await text(page, '[data-test=my-activity]')).toContain(title)
    await checkScreen(page, 'profile')
  })
})
