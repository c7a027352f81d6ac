/**
 * The BFF's Content-Security-Policy against the built SPA (issue #12.9): every other e2e file fails
 * on a violation (support/suite.ts); this one shows that a violation is caught at all, and that the
 * page cannot be framed.
 */
import { describe, expect, it } from 'vitest'
import { skipWithoutChrome } from './support/browser.js'
import { settled } from './support/flows.js'
import { useBrowserSuite } from './support/suite.js'

describe.skipIf(skipWithoutChrome())('Content-Security-Policy in the browser', () => {
  const suite = useBrowserSuite('history')

  it('loads the SPA with no violation, and blocks (and reports) an injected inline script', async () => {
    const phone = await suite.openPhone()
    const { page } = phone
    const response = await page.goto(`${suite.stack.origin}/`)
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'")
    await settled(page)
    expect(phone.cspViolations).toEqual([])

    const ran = await page.evaluate(async () => {
      const script = document.createElement('script')
      script.textContent = 'window.__injected = true'
      document.body.append(script)
      await new Promise((resolve) => setTimeout(resolve, 100))
      return (window as unknown as { __injected?: boolean }).__injected === true
    })
    expect(ran).toBe(false)
    await expect.poll(() => phone.cspViolations.length).toBeGreaterThan(0)
    expect(phone.cspViolations[0]).toMatch(/^script-src-elem inline on /)
    // Caught: cleared, so the suite's own check passes for this deliberate one.
    phone.cspViolations.length = 0
  })

  it('lets the OpenAPI UI at /docs (served outside production) render under its own policy', async () => {
    const phone = await suite.openPhone()
    await phone.page.goto(`${suite.stack.origin}/docs`)
    await phone.page.waitForSelector('.swagger-ui .info', { timeout: 15_000 })
    expect(phone.cspViolations).toEqual([])
  })

  it('cannot be framed by another origin', async () => {
    const phone = await suite.openPhone()
    const { page } = phone
    // A page on the simulator's origin that frames the SPA.
    await page.route(`${suite.stack.wechat}/framer`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<iframe id="f" src="${suite.stack.origin}/"></iframe>`,
      }),
    )
    await page.goto(`${suite.stack.wechat}/framer`)
    await page.waitForTimeout(500)
    const frame = page.frames().find((f) => f.url().startsWith(suite.stack.origin))
    // Blocked by frame-ancestors 'none': no frame shows the SPA's app root.
    const mounted = frame
      ? await frame
          .locator('#app')
          .count()
          .catch(() => 0)
      : 0
    expect(mounted).toBe(0)
  })
})
