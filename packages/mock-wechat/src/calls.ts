/**
 * The call log behind `GET /__mock/calls`: what hit the simulated WeChat, when (simulated time),
 * and what went wrong. Secrets, tokens, codes and tickets are masked: the log is shown in a
 * browser and must not become a way to lift credentials.
 */
import type { FaultMode } from './faults.js'

export interface CallRecord {
  /** Path without the leading slash, e.g. `sns/oauth2/access_token`. */
  endpoint: string
  /** ISO time on the simulator's clock. */
  at: string
  method: string
  /** Query (and JSON body) parameters, masked. */
  params: Record<string, string>
  /** The errcode answered (non-zero only; authorize error pages record their 100xx code). */
  errcode?: number
  /** The injected failure, when one was applied. */
  fault?: FaultMode
}

/** Parameter names whose values are credentials. */
const SECRET_PARAMS = new Set(['secret', 'appsecret'])
const TOKEN_PARAMS = new Set(['access_token', 'refresh_token', 'code', 'ticket'])

/** Keep a hint of a token (its first 4 chars) so calls can be told apart, never the token. */
export function maskValue(name: string, value: string): string {
  if (SECRET_PARAMS.has(name.toLowerCase())) return '***'
  if (TOKEN_PARAMS.has(name.toLowerCase()))
    return value.length > 8 ? `${value.slice(0, 4)}***` : '***'
  return value
}

/** A copy of `params` with credentials masked. */
export function maskParams(params: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(params)) out[name] = maskValue(name, value)
  return out
}

/** A URL with credential query parameters masked (for request logs). */
export function maskUrl(url: string): string {
  const at = url.indexOf('?')
  if (at === -1) return url
  const params = new URLSearchParams(url.slice(at + 1))
  const masked = new URLSearchParams()
  for (const [name, value] of params) masked.append(name, maskValue(name, value))
  return `${url.slice(0, at)}?${masked.toString()}`
}

/** Keep the log bounded for a dev server that runs for days; counts are kept in full. */
const MAX_CALLS = 1000

export class CallLog {
  private calls: CallRecord[] = []
  private counts: Record<string, number> = {}

  /** Add a call; the returned record can still be annotated (errcode, fault). */
  record(endpoint: string, method: string, params: Record<string, string>, at: number): CallRecord {
    const call: CallRecord = {
      endpoint,
      at: new Date(at).toISOString(),
      method,
      params: maskParams(params),
    }
    this.calls.push(call)
    if (this.calls.length > MAX_CALLS) this.calls.splice(0, this.calls.length - MAX_CALLS)
    this.counts[endpoint] = (this.counts[endpoint] ?? 0) + 1
    return call
  }

  snapshot(): { calls: CallRecord[]; counts: Record<string, number> } {
    return {
      calls: this.calls.map((c) => ({ ...c, params: { ...c.params } })),
      counts: { ...this.counts },
    }
  }

  clear(): void {
    this.calls = []
    this.counts = {}
  }
}
