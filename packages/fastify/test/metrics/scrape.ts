/**
 * Reading the metrics as Prometheus does: `GET` the listener over real HTTP, parse the text
 * exposition format (prom-client's own parser is not public), and compare two scrapes. Every scrape
 * goes into the suite-wide leak ledger (../helper.ts), which checks after all tests that no scrape
 * carries a code, an openid, a token or a secret.
 */
import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import { recordScrape } from '../helper.js'

/** One sample line: `name{labels} value`. */
export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?[0-9]+)?$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
}

/** Parse Prometheus' text format (0.0.4); comments (`# HELP`, `# TYPE`) are skipped. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const match = LINE.exec(line)
    if (!match) throw new Error(`not an exposition line: ${line}`)
    const labels: Record<string, string> = {}
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key!] = unescape(value!)
    const raw = match[3]!
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw)
    samples.push({ name: match[1]!, labels, value })
  }
  return samples
}

/** A parsed scrape. */
export interface Scrape {
  text: string
  samples: Sample[]
  /** Sum of the samples of `name` whose labels include `labels` (0 when there is none). */
  value(name: string, labels?: Record<string, string>): number
  /** The label values `label` takes among the samples of `name`. */
  labelValues(name: string, label: string): string[]
}

function toScrape(text: string): Scrape {
  const samples = parseExposition(text)
  const matching = (name: string, labels: Record<string, string>) =>
    samples.filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    )
  return {
    text,
    samples,
    value: (name, labels = {}) => matching(name, labels).reduce((sum, s) => sum + s.value, 0),
    labelValues: (name, label) => [
      ...new Set(
        samples.filter((s) => s.name === name && label in s.labels).map((s) => s.labels[label]!),
      ),
    ],
  }
}

/** GET the app's metrics listener (over HTTP, as Prometheus would) and parse what it answers. */
export async function scrape(app: FastifyInstance): Promise<Scrape> {
  const url = app.wechatAuth.metrics?.url
  if (!url) throw new Error('the app has no metrics listener (metrics: { port } not set?)')
  const response = await fetch(url)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  return toScrape(recordScrape(await response.text()))
}

/** What changed between two scrapes of one series. */
export function delta(
  after: Scrape,
  before: Scrape,
  name: string,
  labels: Record<string, string> = {},
): number {
  return after.value(name, labels) - before.value(name, labels)
}

/** Listen on port 0 (loopback) as a real server would; the app's base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
}

/** The cookies a response sets (not those it clears), as a Cookie header. */
export function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((pair) => !pair.endsWith('='))
    .join('; ')
}
