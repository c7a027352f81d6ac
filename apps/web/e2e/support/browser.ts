/**
 * A phone in WeChat, driven by playwright-core and the system Chromium (no browser download).
 * Every session gets a fresh profile directory, so no cookie or storage leaks between scenarios.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

/** `CHROME_PATH`, else Debian's `chromium` package. */
export const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium'
export const HAS_CHROME = existsSync(CHROME_PATH)
/** In CI a missing browser is a failure, never a silent skip. */
export const IN_CI = process.env.CI === 'true'

const HOW_TO_INSTALL =
  `No Chromium at ${CHROME_PATH}. Install Debian's package (apt-get install chromium) or set ` +
  'CHROME_PATH to a Chrome/Chromium binary, then rerun `pnpm vitest run --project e2e`.'

/** Call at the top of a suite: warns loudly and says whether the suite must be skipped. */
export function skipWithoutChrome(): boolean {
  if (HAS_CHROME || IN_CI) return false
  console.warn(`\n[e2e] SKIPPED: ${HOW_TO_INSTALL}\n`)
  return true
}

/** In `beforeAll`: under CI=true a missing browser fails the run. */
export function requireChrome(): void {
  if (!HAS_CHROME) throw new Error(`[e2e] ${HOW_TO_INSTALL}`)
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** iPhone WeChat 8.0.50: what the SPA's users run. */
export const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
  'Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) NetType/WIFI Language/zh_CN'
/** A desktop browser: not WeChat. */
export const DESKTOP_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36'

export interface Phone {
  context: BrowserContext
  page: Page
  /**
   * Every Content-Security-Policy violation any page of this phone reported (directive, then the
   * blocked URI): the suite fails a test that leaves one (support/suite.ts).
   */
  cspViolations: string[]
  close(): Promise<void>
}

/**
 * A fresh browser profile on a 390×844 phone with a WeChat user agent (or `userAgent`); `args`
 * adds Chromium flags.
 */
export async function openPhone(
  userAgent: string = WECHAT_UA,
  { args = [] }: { args?: string[] } = {},
): Promise<Phone> {
  const profile = mkdtempSync(join(tmpdir(), 'wxauth-e2e-profile-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROME_PATH,
    headless: true,
    args: [...FLAGS, ...args],
    userAgent,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  })
  // The SPA loads WeChat's JS-SDK from res.wx.qq.com inside WeChat: never from the real CDN in a
  // test. A failed load is only logged by the SPA; e2e/share.test.ts routes it to a stub instead
  // (a route registered later takes precedence).
  await context.route('https://res.wx.qq.com/**', (route) => route.abort())
  // The BFF's CSP (apps/bff/src/plugins/security-headers.ts) must let the built SPA do everything it
  // does: each violation a page reports is recorded, and a test that causes one fails.
  const cspViolations: string[] = []
  await context.exposeBinding('__wxauthCspViolation', (_source, violation: string) => {
    cspViolations.push(violation)
  })
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __wxauthCspViolation(v: string): void })
        .__wxauthCspViolation
      report(
        `${event.effectiveDirective} ${event.blockedURI || '(inline)'} on ${event.documentURI}`,
      )
    })
  })
  const page = context.pages()[0] ?? (await context.newPage())
  return {
    context,
    page,
    cspViolations,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', 'test-results', 'screenshots')

/** Save a screenshot as a test artifact: apps/web/test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}
