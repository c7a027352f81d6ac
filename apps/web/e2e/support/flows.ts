/** Steps the scenarios share: what a user does, and how the test waits for the SPA to settle. */
import type { Page } from 'playwright-core'

/** Something the SPA shows once it has settled: a page, or one of the screens. */
const SETTLED =
  '[data-test=activity], [data-test=profile], [data-test^="screen-"]:not([data-test="screen-snapshot"])'

/** Wait until the SPA shows a page or a screen (not the skeleton, not "正在登录…"). */
export async function settled(page: Page): Promise<void> {
  await page.waitForSelector(SETTLED, { state: 'visible' })
}

/** On the simulator's consent page: pick a test persona and tap 允许. */
export async function allowConsent(page: Page, persona?: string): Promise<void> {
  await page.waitForSelector('[data-test=mock-consent]')
  if (persona) await page.tap(`[data-test=mock-persona-${persona}]`)
  await page.tap('[data-test=mock-allow]')
}

/** On the simulator's consent page: tap 拒绝. */
export async function denyConsent(page: Page): Promise<void> {
  await page.waitForSelector('[data-test=mock-consent]')
  await page.tap('[data-test=mock-deny]')
}

/** Text of the first element matching `selector`. */
export async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent())?.trim() ?? ''
}
