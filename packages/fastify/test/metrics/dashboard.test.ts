/**
 * The shipped dashboard and alert rules query metrics that exist: every PromQL expression of
 * deploy/grafana/wxauth-dashboard.json, deploy/prometheus/wxauth-alerts.yml and docs/operating.md
 * names only series the plugin's registry exports (a histogram's `_bucket`/`_sum`/`_count`,
 * prom-client's process metrics), with label names those series carry. A renamed metric or label
 * fails here, not on an operator's empty panel.
 */
import { readFileSync } from 'node:fs'
import { parser } from '@prometheus-io/lezer-promql'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { METRICS, seriesNames } from '../../src/metrics/definitions.js'
import { createMetricsRegistry } from '../../src/metrics/metrics.js'

const root = new URL('../../../../', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, root), 'utf8')

/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = ['instance', 'job']

/** Every series name the registry exports, with the label names it may carry. */
async function exportedSeries(): Promise<Map<string, Set<string>>> {
  const { registry } = createMetricsRegistry('stable')
  const series = new Map<string, Set<string>>()
  for (const metric of await registry.getMetricsAsJSON()) {
    const labels = new Set<string>(TARGET_LABELS)
    for (const value of metric.values)
      for (const label of Object.keys(value.labels)) labels.add(label)
    const names =
      String(metric.type) === 'histogram'
        ? ['_bucket', '_sum', '_count'].map((s) => `${metric.name}${s}`)
        : [metric.name]
    for (const name of names) series.set(name, new Set(labels))
  }
  // The plugin's own metrics: labels from the table (a series exists before its first sample).
  for (const definition of Object.values(METRICS)) {
    for (const name of seriesNames(definition)) {
      const labels = series.get(name) ?? new Set(TARGET_LABELS)
      for (const label of definition.labelNames) labels.add(label)
      if (name.endsWith('_bucket')) labels.add('le')
      series.set(name, labels)
    }
  }
  return series
}

type SyntaxNode = ReturnType<typeof parser.parse>['topNode']

/** Grafana's interval variables, as Prometheus would get them. */
function withoutGrafanaVariables(expr: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)\b/g, '5m')
}

/** A metric an expression selects, with the label names it matches on or groups by. */
interface Use {
  metric: string
  labels: string[]
}

/**
 * What one PromQL expression uses, read with Prometheus' own grammar (@prometheus-io/lezer-promql,
 * the parser of Prometheus' UI): every vector selector's metric and label matchers, plus the
 * grouping labels (`by`, `on`, `ignoring`, `group_left`) of every aggregation or operation around
 * it. Throws on a syntax error.
 */
function promqlUses(raw: string): Use[] {
  const expr = withoutGrafanaVariables(raw)
  const tree = parser.parse(expr)
  tree.iterate({
    enter(node) {
      if (node.type.isError) throw new Error(`PromQL syntax error at ${node.from}: ${expr}`)
    },
  })
  const text = (node: SyntaxNode | null) => (node ? expr.slice(node.from, node.to) : '')
  const grouping = (node: SyntaxNode | null) =>
    node ? node.getChildren('LabelName').map((label) => text(label)) : []
  const uses: Use[] = []
  const walk = (node: SyntaxNode, inherited: string[]): void => {
    if (node.name === 'VectorSelector') {
      const matchers = node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []
      uses.push({
        metric: text(node.getChild('Identifier')),
        labels: [...matchers.map((m) => text(m.getChild('LabelName'))), ...inherited],
      })
      return
    }
    let labels = inherited
    if (node.name === 'AggregateExpr') {
      labels = [
        ...labels,
        ...grouping(node.getChild('AggregateModifier')?.getChild('GroupingLabels') ?? null),
      ]
    }
    if (node.name === 'BinaryExpr') {
      const clause = node.getChild('MatchingModifierClause')
      for (const group of clause?.getChildren('GroupingLabels') ?? [])
        labels = [...labels, ...grouping(group)]
    }
    for (let child = node.firstChild; child; child = child.nextSibling) walk(child, labels)
  }
  walk(tree.topNode, [])
  return uses
}

/** Check `expr` against the exported series; returns the metric names it uses. */
function checkExpr(expr: string, series: Map<string, Set<string>>, where: string): string[] {
  const uses = promqlUses(expr)
  expect(uses.length, `${where}: no metric in ${expr}`).toBeGreaterThan(0)
  for (const { metric, labels } of uses) {
    expect(series.has(metric), `${where}: ${metric} is not exported (${expr})`).toBe(true)
    for (const label of labels) {
      expect(series.get(metric)!.has(label), `${where}: ${metric} has no label ${label}`).toBe(true)
    }
  }
  return uses.map((use) => use.metric)
}

interface Panel {
  type: string
  title: string
  targets?: Array<{ expr: string }>
  panels?: Panel[]
}

describe('the PromQL reader', () => {
  it('finds metric names with their matchers and grouping labels, and skips functions and numbers', () => {
    expect(
      promqlUses(
        'histogram_quantile(0.99, sum by (le, endpoint) (rate(a_bucket{instance=~"$instance",x!="by(y)"}[$__rate_interval] offset 1d))) / on() b2 or vector(0) * 1e9',
      ),
    ).toEqual([
      { metric: 'a_bucket', labels: ['instance', 'x', 'le', 'endpoint'] },
      { metric: 'b2', labels: [] },
    ])
  })

  it('refuses a syntax error', () => {
    expect(() => promqlUses('sum(rate(x[5m])')).toThrow(/syntax error/)
    expect(() => promqlUses('sum by (a (x)')).toThrow(/syntax error/)
  })
})

describe('deploy/grafana/wxauth-dashboard.json', () => {
  const dashboard = JSON.parse(read('deploy/grafana/wxauth-dashboard.json')) as {
    uid: string
    title: string
    panels: Panel[]
    templating: { list: Array<{ name: string; definition?: string }> }
  }
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])])

  it('is a Grafana dashboard model whose every query names exported series and labels', async () => {
    expect(dashboard.uid).toBe('wxauth-login')
    const series = await exportedSeries()
    const used = new Set<string>()
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0)
      for (const target of panel.targets!) {
        for (const m of checkExpr(target.expr, series, panel.title)) used.add(m)
      }
    }
    const instance = dashboard.templating.list.find((v) => v.name === 'instance')
    const variable = /^label_values\(([a-z_]+), instance\)$/.exec(instance?.definition ?? '')
    expect(series.has(variable?.[1] ?? '')).toBe(true)
    // Every metric of the plugin is on the dashboard.
    for (const definition of Object.values(METRICS)) {
      expect(
        seriesNames(definition).some((name) => used.has(name)),
        `${definition.name} has no panel`,
      ).toBe(true)
    }
  })

  it('has the funnel, WeChat errors by errcode, latency p50/p99, the global token, rate limits and reuses', () => {
    const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n')
    expect(exprs).toContain('wxauth_authorize_urls_total')
    expect(exprs).toMatch(/sum by \(endpoint, errcode\) \(rate\(wxauth_wechat_requests_total/)
    expect(exprs).toContain('histogram_quantile(0.5, sum by (le, endpoint)')
    expect(exprs).toContain('histogram_quantile(0.99, sum by (le, endpoint)')
    expect(exprs).toContain('wxauth_global_token_fetches_total')
    expect(exprs).toContain('wxauth_rate_limited_total')
    expect(exprs).toContain('wxauth_code_reuses_total')
  })
})

describe('deploy/prometheus/wxauth-alerts.yml', () => {
  const text = read('deploy/prometheus/wxauth-alerts.yml')
  const { groups } = parseYaml(text) as {
    groups: Array<{
      name: string
      rules: Array<{
        alert: string
        expr: string
        for?: string
        labels: { severity: string }
        annotations: { summary: string; description: string }
      }>
    }>
  }
  const rules = groups.flatMap((group) => group.rules)

  it('has the three alerts, each querying exported series and labels', async () => {
    expect(rules.map((r) => r.alert)).toEqual([
      'WxauthWechatConfigError',
      'WxauthWechatUnavailable',
      'WxauthCodeReusesJump',
    ])
    const series = await exportedSeries()
    for (const rule of rules) checkExpr(rule.expr, series, rule.alert)
    expect(rules[0]!.expr).toContain('result="wechat_config_error"')
    expect(rules[1]!.expr).toContain('result="wechat_unavailable"')
    expect(rules[2]!.expr).toContain('wxauth_code_reuses_total')
  })

  it('gives every rule a severity, a summary and a description', () => {
    for (const rule of rules) {
      expect(rule.labels.severity, rule.alert).toMatch(/^(critical|warning)$/)
      expect(rule.annotations.summary, rule.alert).toBeTruthy()
      expect(rule.annotations.description, rule.alert).toBeTruthy()
    }
  })
})

describe('docs/operating.md', () => {
  const doc = read('docs/operating.md')

  it('quotes the alert rules file as it is', () => {
    const block = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1]
    expect(block).toBe(read('deploy/prometheus/wxauth-alerts.yml'))
  })

  it('has PromQL that names exported series, and describes every metric', async () => {
    const series = await exportedSeries()
    const blocks = [...doc.matchAll(/```promql\n([\s\S]*?)```/g)].map((m) => m[1]!)
    expect(blocks.length).toBeGreaterThan(0)
    for (const block of blocks) {
      for (const expr of block.split(/\n(?=\S)/).map((e) => e.replace(/^#.*$/gm, '').trim())) {
        if (expr) checkExpr(expr.replace(/\s+/g, ' '), series, 'docs/operating.md')
      }
    }
    for (const definition of Object.values(METRICS)) {
      expect(doc, definition.name).toContain(`\`${definition.name}`)
    }
  })
})
