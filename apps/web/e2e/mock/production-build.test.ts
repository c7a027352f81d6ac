/**
 * The production build carries nothing of the mock: no mock code, no persona data, no service
 * worker. The build is the one the BFF serves (scripts/build-spa.mjs, mode `production`); every
 * file of it is searched for what only the mock has. The same search over the mock's own sources
 * (and the personas it shares with the simulator) finds every marker, so a marker that stopped
 * meaning anything fails here too. The same build is held to its weight budget
 * (scripts/bundle-size.ts).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CSS_BUDGET, INITIAL_BUDGET, bundleSizes, kB } from '../../scripts/bundle-size.js'
import { buildSpa, removeDir } from '../support/stack.js'

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..', '..')

/** Strings only the mock has: its entry points, MSW, the consent page, the personas. */
const MARKERS = [
  'mockServiceWorker',
  'setupWorker',
  'serviceWorker',
  '@wxauth/vue/mock',
  'wxauth:mock',
  '__mock-wechat',
  'createWechatAuthMock',
  'mock-jsapi-ticket',
  '陈小雨 Alice',
  '樱花酱',
  '韩梅梅',
  '李雷',
  '老张',
]

/** Every file under `dir`, as paths relative to it. */
function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesOf(path).map((file) => join(name, file)) : [name]
  })
}

/** Which markers occur in which files of `dir`. */
function markersIn(dir: string, files = filesOf(dir)): Record<string, string[]> {
  const found: Record<string, string[]> = {}
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8')
    for (const marker of MARKERS) {
      if (text.includes(marker)) (found[marker] ??= []).push(file)
    }
  }
  return found
}

describe('the production build', () => {
  let dist: string | undefined

  beforeAll(async () => {
    dist = await buildSpa('history')
  })
  afterAll(() => removeDir(dist))

  it('has no mock code, no persona data and no service worker', () => {
    const files = filesOf(dist!)
    expect(files.some((file) => file.endsWith('.js'))).toBe(true)
    expect(files.filter((file) => /mockServiceWorker|\bmsw\b/i.test(file))).toEqual([])
    expect(markersIn(dist!, files)).toEqual({})
  })

  it(`stays within its weight budget: initial JS ≤ ${kB(INITIAL_BUDGET)} gzip, CSS ≤ ${kB(CSS_BUDGET)}`, () => {
    const sizes = bundleSizes(dist!)
    // the figures, so a failure says by how much
    const report = `initial ${kB(sizes.initial)} (${sizes.initialFiles.join(', ')}), CSS ${kB(sizes.css)}`
    // the entry alone, no modulepreloaded chunk (vite.config.ts's MODULE_PRELOAD relies on that)
    expect(sizes.initialFiles, report).toHaveLength(1)
    expect(sizes.initial, report).toBeLessThanOrEqual(INITIAL_BUDGET)
    expect(sizes.css, report).toBeLessThanOrEqual(CSS_BUDGET)
    expect(sizes.totalJs, report).toBeGreaterThan(sizes.initial) // lazy chunks exist beside it
  })

  it('the markers are the mock’s: its sources have every one of them', () => {
    const found = new Set<string>()
    for (const dir of ['packages/vue/src/mock', 'apps/web/mock']) {
      for (const marker of Object.keys(markersIn(join(REPO_ROOT, dir)))) found.add(marker)
    }
    // The personas the mock shares with the simulator.
    const shared = markersIn(join(REPO_ROOT, 'packages/shared/src'), ['personas.ts'])
    for (const marker of Object.keys(shared)) found.add(marker)
    expect([...found].sort()).toEqual([...MARKERS].sort())
  })
})
