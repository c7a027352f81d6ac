/**
 * What every screen of the SPA is held to, checked in the browser:
 * - accessibility: axe-core finds no `serious` or `critical` violation;
 * - layout stability: no layout shift since the document loaded (CLS 0), read from a buffered
 *   `PerformanceObserver('layout-shift')` once the screen has settled.
 * `checkScreen()` runs both, saves the screenshot and records the figures in
 * test-results/screens.json (name → CLS and violations by impact) for the report.
 * @see https://web.dev/articles/cls#layout-shift-score
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import type { AxeResults, ImpactValue } from 'axe-core'
import type { Page } from 'playwright-core'
import { screenshot } from './browser.js'

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)
const RESULTS = resolve(import.meta.dirname, '..', '..', 'test-results', 'screens.json')

/** Impacts that fail a screen. */
const FAILING: ReadonlySet<ImpactValue> = new Set<ImpactValue>(['serious', 'critical'])

/** One axe violation, short enough to read in a test failure. */
export interface Violation {
  id: string
  impact: ImpactValue | null | undefined
  help: string
  targets: string[]
}

/** Run axe-core on the page as it is now. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  const results = await page.evaluate(
    () =>
      (
        window as unknown as { axe: { run(): Promise<AxeResults> } }
      ).axe.run() as Promise<AxeResults>,
  )
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }))
}

/** The violations that fail a screen. */
export function failing(violations: Violation[]): Violation[] {
  return violations.filter((v) => v.impact != null && FAILING.has(v.impact))
}

/** Throw, naming each serious or critical violation and where it is. */
export function assertAccessible(name: string, violations: Violation[]): void {
  const bad = failing(violations)
  if (bad.length === 0) return
  const lines = bad.map((v) => `  ${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`)
  throw new Error(`[axe] ${name}: ${bad.length} serious/critical violation(s)\n${lines.join('\n')}`)
}

/**
 * The cumulative layout shift of the current document: the sum of every `layout-shift` entry not
 * caused by recent input (what CLS counts; a tap may move things for 500 ms). Buffered, so shifts
 * from before this call count.
 */
export function layoutShift(page: Page): Promise<{ cls: number; sources: string[] }> {
  return page.evaluate(
    () =>
      new Promise<{ cls: number; sources: string[] }>((done) => {
        interface Shift extends PerformanceEntry {
          value: number
          hadRecentInput: boolean
          sources?: Array<{ node?: Node | null }>
        }
        let cls = 0
        const sources: string[] = []
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as Shift[]) {
            if (entry.hadRecentInput) continue
            cls += entry.value
            for (const source of entry.sources ?? []) {
              const el = source.node instanceof Element ? source.node : null
              sources.push(el ? `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}` : '?')
            }
          }
        })
        observer.observe({ type: 'layout-shift', buffered: true })
        // buffered entries are delivered in a task of their own
        setTimeout(() => {
          observer.disconnect()
          done({ cls, sources })
        }, 50)
      }),
  )
}

/** Wait until nothing has changed in the DOM for `quietMs` (images, chunks and toasts settled). */
export async function quiet(page: Page, quietMs = 300): Promise<void> {
  await page.evaluate(
    (ms) =>
      new Promise<void>((done) => {
        let timer = setTimeout(finish, ms)
        const observer = new MutationObserver(() => {
          clearTimeout(timer)
          timer = setTimeout(finish, ms)
        })
        function finish(): void {
          observer.disconnect()
          done()
        }
        observer.observe(document, { subtree: true, childList: true, attributes: true })
      }),
    quietMs,
  )
}

interface ScreenRecord {
  cls: number
  violations: Partial<Record<string, number>>
}

function record(name: string, entry: ScreenRecord): void {
  mkdirSync(join(RESULTS, '..'), { recursive: true })
  let all: Record<string, ScreenRecord> = {}
  try {
    all = JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, ScreenRecord>
  } catch {
    // first screen of the run
  }
  all[name] = entry
  writeFileSync(RESULTS, JSON.stringify(all, null, 2) + '\n')
}

/**
 * A screen of the SPA, settled: screenshot, then no serious/critical axe violation and no layout
 * shift since the document loaded. Throws with the details otherwise.
 */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await quiet(page)
  await screenshot(page, name)
  const violations = await axeViolations(page)
  const { cls, sources } = await layoutShift(page)
  const byImpact: Partial<Record<string, number>> = {}
  for (const v of violations) byImpact[v.impact ?? 'none'] = (byImpact[v.impact ?? 'none'] ?? 0) + 1
  record(name, { cls: Number(cls.toFixed(4)), violations: byImpact })
  assertAccessible(name, violations)
  if (cls > 0)
    throw new Error(`[cls] ${name}: layout shift ${cls.toFixed(4)} (${sources.join(', ')})`)
}
