/**
 * What a built SPA weighs, as its users download it: gzip level 9, kB = 1000 bytes (like Vite's
 * report). The budgets are checked by the e2e suite (e2e/mock/production-build.test.ts) on every
 * run and printed by `pnpm --filter @wxauth/web bench` beside the baseline apps.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/**
 * Initial JS: issue #15's goal, 1.1× the 40.5 kB it measured for a bare vue + vue-router + pinia +
 * ofetch app built with Vite's defaults. A budget, so any growth of the entry has to be paid for.
 */
export const INITIAL_BUDGET = 44_600
/** CSS: only the WeUI parts the pages use (src/styles/weui.css), not all of weui.min.css. */
export const CSS_BUDGET = 10_000

export interface BundleSizes {
  /** gzip bytes of {@link BundleSizes.initialFiles}. */
  initial: number
  /** The entry, what index.html modulepreloads, and what those import statically. */
  initialFiles: string[]
  /** gzip bytes of every JS file, lazy chunks included. */
  totalJs: number
  jsFiles: number
  /** gzip bytes of every CSS file. */
  css: number
}

export const kB = (bytes: number): string => `${(bytes / 1000).toFixed(2)} kB`

const gzipSize = (file: string): number => gzipSync(readFileSync(file), { level: 9 }).length

/** The initial JS of a build: entry + modulepreloads from index.html, plus static imports, recursively. */
function initialChunks(dist: string): string[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8')
  const refs = [
    ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((m) => m[1]!.replace(/^\//, ''))
  const seen = new Set<string>()
  const visit = (rel: string): void => {
    if (seen.has(rel)) return
    seen.add(rel)
    const code = readFileSync(join(dist, rel), 'utf8')
    // static imports only (`import"./x.js"`, `from"./x.js"`); `import("./x.js")` is lazy
    for (const m of code.matchAll(/(?:\bimport|\bfrom)\s*["'](\.\/[^"']+\.js)["']/g)) {
      visit(join(rel, '..', m[1]!))
    }
  }
  refs.forEach(visit)
  return [...seen]
}

/** The sizes of the build in `dist` (a Vite outDir: index.html and assets/). */
export function bundleSizes(dist: string): BundleSizes {
  const assets = readdirSync(join(dist, 'assets'))
  const js = assets.filter((f) => f.endsWith('.js')).map((f) => join('assets', f))
  const css = assets.filter((f) => f.endsWith('.css')).map((f) => join('assets', f))
  const initial = initialChunks(dist)
  const sum = (files: string[]) => files.reduce((n, f) => n + gzipSize(join(dist, f)), 0)
  return {
    initial: sum(initial),
    initialFiles: initial,
    totalJs: sum(js),
    jsFiles: js.length,
    css: sum(css),
  }
}
