/**
 * Added latency (`POST /__mock/latency`): one delay for every call, plus rules that pick calls by
 * endpoint, appid and openid. The most specific matching rule wins (one naming an openid beats one
 * naming only an endpoint); among equally specific rules the one set last.
 */
import {
  filterOf,
  matchesCall,
  sameFilter,
  specificity,
  type CallFilter,
  type CallSubject,
} from './call-filter.js'

/** A delay for the calls a filter selects. */
export interface LatencyRule extends CallFilter {
  ms: number
}

export class Latency {
  /** The delay of every call no rule selects. */
  defaultMs = 0
  private rules: LatencyRule[] = []

  /** Add a rule, replacing the one with the same filter. */
  set(rule: LatencyRule): void {
    const filter = filterOf(rule)
    this.rules = this.rules.filter((r) => !sameFilter(r, filter))
    this.rules.push({ ...filter, ms: rule.ms })
  }

  /** Milliseconds to hold a call of `endpoint` about `subject`. */
  delayFor(endpoint: string, subject: CallSubject): number {
    let best: LatencyRule | undefined
    for (const rule of this.rules) {
      if (!matchesCall(rule, endpoint, subject)) continue
      if (!best || specificity(rule) >= specificity(best)) best = rule
    }
    return best ? best.ms : this.defaultMs
  }

  list(): LatencyRule[] {
    return this.rules.map((r) => ({ ...r }))
  }

  clear(): void {
    this.defaultMs = 0
    this.rules = []
  }
}
