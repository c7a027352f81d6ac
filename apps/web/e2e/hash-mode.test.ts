/**
 * The hash-router build (`VITE_ROUTER_MODE=hash`): redirect_uri never carries a `#`, and the user
 * lands back on the route they started from.
 */
import { describe, expect, it } from 'vitest'
import { skipWithoutChrome, type Phone } from './support/browser.js'
import { checkScreen } from './support/checks.js'
import { allowConsent, text } from './support/flows.js'
import { useBrowserSuite } from './support/suite.js'

const AUTHORIZE = 'connect/oauth2/authorize'
const EXCHANGE = 'sns/oauth2/access_token'

describe.skipIf(skipWithoutChrome())('hash-mode build', () => {
  const suite = useBrowserSuite('hash')
  let phone: Phone | undefined

  it('logs in from #/me and lands back on #/me, with no # in redirect_uri', async () => {
    phone = await suite.openPhone()
    const { page } = phone
    await page.goto(`${suite.stack.origin}/#/me`)
    await page.waitForSelector('[data-test=profile]')
    expect(page.url()).toBe(`${suite.stack.origin}/#/me`)

    const authorize = (await suite.stack.calls()).calls.filter((c) => c.endpoint === AUTHORIZE)
    expect(authorize).toHaveLength(1)
    const redirectUri = authorize[0]?.params.redirect_uri ?? ''
    expect(redirectUri).not.toContain('#')
    expect(redirectUri).toBe(`${suite.stack.origin}/?r=%2Fme`)
  })

  it('the profile consent returns to #/me with the nickname', async () => {
    phone = await suite.openPhone()
    const { page } = phone
    await suite.stack.control('consent', { action: 'page', persona: 'noavatar' })
    await page.goto(`${suite.stack.origin}/#/me`)
    await page.tap('[data-test=authorize-profile]')
    await allowConsent(page, 'noavatar')
    await page.waitForSelector('[data-test=nickname]')
    expect(await text(page, '[data-test=nickname]')).toBe('李雷')
    expect(page.url()).toBe(`${suite.stack.origin}/#/me`)
    // no avatar: the fallback image, with its size and alt text
    const avatar = page.locator('.profile-card img')
    expect(await avatar.getAttribute('width')).toBe('66')
    expect(await avatar.getAttribute('alt')).toBe('李雷的头像')
    await checkScreen(page, 'profile-hash-mode')

    await page.reload()
    await page.waitForSelector('[data-test=nickname]')
    expect(await suite.stack.count(EXCHANGE)).toBe(2)
    expect(await suite.stack.count(AUTHORIZE)).toBe(2)
  })

  it('a query route survives the trip (#/me?tab=1)', async () => {
    phone = await suite.openPhone()
    const { page } = phone
    await page.goto(`${suite.stack.origin}/#/me?tab=1`)
    await page.waitForSelector('[data-test=profile]')
    expect(page.url()).toBe(`${suite.stack.origin}/#/me?tab=1`)
  })

  it('a sign-up started on #/ is completed when the consent returns there', async () => {
    phone = await suite.openPhone()
    const { page } = phone
    await suite.stack.control('consent', { action: 'page', persona: 'emoji' })
    await page.goto(`${suite.stack.origin}/#/`)
    await page.tap('[data-test=join]')
    await page.tap('[data-test=screen-upgrade] [data-test=retry]')
    await allowConsent(page, 'emoji')
    await page.waitForSelector('[data-test=joined]')
    expect(await text(page, '[data-test=toast]')).toBe('报名成功')
    expect(page.url()).toBe(`${suite.stack.origin}/#/`)
  })
})
