import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src')

/** The files the root entry reaches through runtime (non-type) imports. */
function runtimeGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen
  seen.add(file)
  const text = readFileSync(file, 'utf8')
  for (const match of text.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)) {
    const spec = match[1]!
    if (!spec.startsWith('.')) {
      seen.add(spec)
      continue
    }
    runtimeGraph(join(dirname(file), spec.replace(/\.js$/, '.ts')), seen)
  }
  return seen
}

describe('@wxauth/shared root', () => {
  it('reaches no TypeBox and no schema module at run time, so the SPA bundle stays schema-free', () => {
    const graph = [...runtimeGraph(join(SRC, 'index.ts'))]
    expect(graph.filter((f) => f === 'typebox' || f.startsWith('typebox/'))).toEqual([])
    expect(graph.filter((f) => f.includes(`${SRC}/schemas/`))).toEqual([])
  })
})
