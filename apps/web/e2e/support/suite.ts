/**
 * The per-file harness of the browser suites: one SPA build, one BFF + simulator stack for the file,
 * a simulator reset before each test (unless the file opts out), and every phone a test opened
 * closed after it, the test failing if any of its pages reported a Content-Security-Policy
 * violation.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { openPhone, requireChrome, type Phone } from './browser.js'
import { assertAccessible, axeViolations, quiet } from './checks.js'
import { buildSpa, removeDir, startStack, type Stack } from './stack.js'

export interface BrowserSuite {
  /** The running stack (available from the first test on). */
  readonly stack: Stack
  /** A fresh phone (no cookie, no storage), closed automatically after the test. */
  openPhone(userAgent?: string): Promise<Phone>
}

/** Register the hooks for one file's browser suite; call it inside the `describe`. */
export function useBrowserSuite(
  routerMode: 'history' | 'hash',
  { resetEachTest = true }: { resetEachTest?: boolean } = {},
): BrowserSuite {
  let spa: string | undefined
  let stack: Stack | undefined
  const phones: Phone[] = []

  beforeAll(async () => {
    requireChrome()
    spa = await buildSpa(routerMode)
    stack = await startStack(spa)
  })
  afterAll(async () => {
    await stack?.close()
    removeDir(spa)
  })
  if (resetEachTest) {
    beforeEach(async () => {
      await stack?.control('reset')
    })
  }
  afterEach(async (context) => {
    const open = phones.splice(0)
    try {
      // every test's final screen of the SPA (not a simulator page, not the BFF's Swagger UI at
      // /docs, which is a developer tool of its own) passes axe-core
      for (const { page } of open) {
        if (!stack || page.isClosed() || !page.url().startsWith(stack.origin)) continue
        if (new URL(page.url()).pathname.startsWith('/docs')) continue
        await page.waitForLoadState('load')
        await quiet(page)
        assertAccessible(`final screen of "${context.task.name}"`, await axeViolations(page))
      }
    } finally {
      await Promise.allSettled(open.map((phone) => phone.close()))
    }
    expect(
      open.flatMap((phone) => phone.cspViolations),
      'Content-Security-Policy violations',
    ).toEqual([])
  })

  return {
    get stack() {
      if (!stack) throw new Error('the browser stack is not running (beforeAll failed?)')
      return stack
    },
    async openPhone(userAgent) {
      const phone = await openPhone(userAgent)
      phones.push(phone)
      return phone
    },
  }
}
