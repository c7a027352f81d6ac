/**
 * The machinery of the contract test (contract.test.ts): one request script per scenario, run
 * against two sides that answer the same API — the real demo BFF on the WeChat simulator, and the
 * mock BFF under `msw/node` — and what each answer is reduced to for the comparison: the status,
 * the error code, the body's shape (keys, recursively, and the JSON type of every value), a few
 * named values, and whether the body passes the route's schema in `@wxauth/shared/schemas`.
 */
import type { TSchema } from 'typebox'
import { Value } from 'typebox/value'
import { CODE_HEADER, STATE_HEADER, parseAuthParams, type ErrorCode } from '@wxauth/shared'
import {
  ActivityResponseSchema,
  AuthorizeUrlResponseSchema,
  ErrorBodySchema,
  JoinResponseSchema,
  JssdkConfigResponseSchema,
  MeResponseSchema,
  RefreshResponseSchema,
  SubscriptionResponseSchema,
} from '@wxauth/shared/schemas'

/** A request of the script. `code: true` sends the pending code in the headers. */
export interface CallStep {
  call: `${'GET' | 'POST'} /api/${string}`
  /** Send the pending WeChat code and state in `X-WeChat-Code` / `X-WeChat-State`. */
  code?: boolean
  /** With `code`: send another login's state instead of the code's own. */
  wrongState?: boolean
  /** The JSON body (`POST /api/auth/session`: `'code'` sends `{ code, state }`). */
  body?: 'code' | Record<string, unknown>
  /** Dotted paths of the body whose values must be equal on both sides too. */
  values?: string[]
}

/** The user on the (mock or simulated) WeChat authorize page of the last authorize URL. */
export interface WechatStep {
  wechat: 'allow' | 'deny'
  persona?: string
}

/** Move the side's clock to just after the session's `expiresAt` its last `GET /api/me` said. */
export interface ExpireStep {
  expire: 'session'
}

export type Step = CallStep | WechatStep | ExpireStep

/** What one side needs to be: an HTTP API, a WeChat authorize page and a clock. */
export interface Side {
  name: string
  request(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }>
  /** The page's URL after the authorize page answered `url` (`redirect_uri?code=…&state=…`). */
  authorize(url: string, action: 'allow' | 'deny', persona: string): Promise<string>
  advanceClock(ms: number): void
  now(): number
}

/** What the comparison sees of one step. */
export interface Observation {
  step: string
  status?: number
  code?: ErrorCode | null
  shape?: Shape
  values?: Record<string, unknown>
  /** Problems of the body against the route's schema (empty: it passes). */
  schema?: string[]
  /** For a WeChat step: what came back on the callback. */
  callback?: { code: boolean; state: 'the login’s' | 'another' | 'none' }
}

/** The JSON type of every value, and the keys of every object. Arrays: their elements' shape. */
export type Shape = string | { [key: string]: Shape } | { array: Shape | null }

/** The shape of a JSON value. */
export function shapeOf(value: unknown): Shape {
  if (value === null) return 'null'
  if (Array.isArray(value)) return { array: value.length === 0 ? null : shapeOf(value[0]) }
  if (typeof value === 'object') {
    const out: Record<string, Shape> = {}
    for (const key of Object.keys(value as object).sort()) {
      out[key] = shapeOf((value as Record<string, unknown>)[key])
    }
    return out
  }
  return typeof value
}

/**
 * Where two shapes differ, one line each (empty: alike). An empty array is alike any array (the
 * sides hold different data; the schema check covers its elements).
 */
export function shapeDiff(real: Shape | undefined, mock: Shape | undefined, at = ''): string[] {
  if (real === undefined && mock === undefined) return []
  if (real === undefined || mock === undefined) {
    return [`${at || '/'}: ${real === undefined ? 'only the mock' : 'only the real BFF'} has it`]
  }
  if (typeof real === 'string' || typeof mock === 'string') {
    return real === mock
      ? []
      : [`${at || '/'}: real ${JSON.stringify(real)}, mock ${JSON.stringify(mock)}`]
  }
  if ('array' in real || 'array' in mock) {
    if (!('array' in real) || !('array' in mock)) return [`${at || '/'}: an array on one side only`]
    if (real.array === null || mock.array === null) return []
    return shapeDiff(real.array, mock.array, `${at}[]`)
  }
  const keys = [...new Set([...Object.keys(real), ...Object.keys(mock)])].sort()
  return keys.flatMap((key) => shapeDiff(real[key], mock[key], `${at}/${key}`))
}

/** Where two sides' observations of a script differ, one line each (empty: they agree). */
export function observationDiff(real: Observation[], mock: Observation[]): string[] {
  const out: string[] = []
  for (let i = 0; i < Math.max(real.length, mock.length); i++) {
    const r = real[i]
    const m = mock[i]
    if (!r || !m) {
      out.push(`step ${i + 1}: only one side got this far`)
      continue
    }
    const label = `step ${i + 1} (${r.step})`
    if (r.status !== m.status) out.push(`${label}: status real ${r.status}, mock ${m.status}`)
    if (r.code !== m.code) out.push(`${label}: error code real ${r.code}, mock ${m.code}`)
    for (const line of shapeDiff(r.shape, m.shape)) out.push(`${label}: body ${line}`)
    if (JSON.stringify(r.values) !== JSON.stringify(m.values)) {
      out.push(
        `${label}: values real ${JSON.stringify(r.values)}, mock ${JSON.stringify(m.values)}`,
      )
    }
    if (JSON.stringify(r.callback) !== JSON.stringify(m.callback)) {
      out.push(
        `${label}: callback real ${JSON.stringify(r.callback)}, mock ${JSON.stringify(m.callback)}`,
      )
    }
    for (const [side, o] of [
      ['real', r],
      ['mock', m],
    ] as const) {
      for (const problem of o.schema ?? []) out.push(`${label}: ${side} body ${problem}`)
    }
  }
  return out
}

/** The schema of each route's 2xx body. */
const SUCCESS_SCHEMAS: Record<string, TSchema> = {
  'GET /api/auth/authorize-url': AuthorizeUrlResponseSchema,
  'POST /api/auth/session': MeResponseSchema,
  'GET /api/me': MeResponseSchema,
  'POST /api/me/refresh': RefreshResponseSchema,
  'GET /api/me/subscription': SubscriptionResponseSchema,
  'GET /api/jssdk/config': JssdkConfigResponseSchema,
  'GET /api/activity': ActivityResponseSchema,
  'POST /api/activity/join': JoinResponseSchema,
}

/** The schema a response must pass: the route's for a 2xx with a body, else the error body's. */
function schemaFor(route: string, status: number): TSchema | null {
  if (status === 204) return null
  if (status >= 400) return ErrorBodySchema
  const schema = SUCCESS_SCHEMAS[route]
  if (!schema) throw new Error(`the contract test knows no schema for ${route}`)
  return schema
}

function problemsOf(schema: TSchema | null, body: unknown): string[] {
  if (schema === null) return body === null || body === '' ? [] : ['204 with a body']
  if (Value.Check(schema, body)) return []
  return [...Value.Errors(schema, body)].map((e) => `${e.instancePath || '/'} ${e.message}`)
}

function valueAt(body: unknown, path: string): unknown {
  let value: unknown = body
  for (const key of path.split('.')) {
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<string, unknown>)[key]
        : undefined
  }
  return value
}

/** A well-formed state no login of the script was started with. */
const OTHER_STATE = 'Zq3xY9bK2mP7vR1tW5sN8dF4gH6jL0aC'

/** Describe a step for a failure message. */
function describeStep(step: Step): string {
  if ('call' in step) {
    return `${step.call}${step.code ? (step.wrongState ? ' + code, another state' : ' + code') : ''}`
  }
  if ('wechat' in step) return `WeChat: ${step.wechat}${step.persona ? ` as ${step.persona}` : ''}`
  return 'the session expires'
}

/** Run a script on one side; every answer is reduced to an {@link Observation}. */
export async function runScript(side: Side, steps: Step[]): Promise<Observation[]> {
  const observations: Observation[] = []
  let authorize: { url: string; state: string } | null = null
  let pending: { code: string; state: string } | null = null
  let expiresAt: number | null = null

  for (const step of steps) {
    const label = describeStep(step)
    if ('expire' in step) {
      if (expiresAt === null) throw new Error(`${side.name}: no session to expire yet`)
      side.advanceClock(Math.max(0, expiresAt - side.now()) + 1_000)
      observations.push({ step: label })
      continue
    }
    if ('wechat' in step) {
      if (authorize === null) throw new Error(`${side.name}: ${label} before any authorize URL`)
      const location = await side.authorize(authorize.url, step.wechat, step.persona ?? 'alice')
      const { code, state } = parseAuthParams(location)
      pending = code !== undefined && state !== undefined ? { code, state } : null
      observations.push({
        step: label,
        callback: {
          code: code !== undefined,
          state:
            state === undefined ? 'none' : state === authorize.state ? 'the login’s' : 'another',
        },
      })
      continue
    }
    const [method, path] = step.call.split(' ') as [string, string]
    const headers: Record<string, string> = {}
    if (step.code) {
      if (pending === null) throw new Error(`${side.name}: ${label} without a pending code`)
      headers[CODE_HEADER] = pending.code
      headers[STATE_HEADER] = step.wrongState ? OTHER_STATE : pending.state
    }
    let body: unknown
    if (step.body === 'code') body = pending
    else if (step.body) body = step.body
    const answer = await side.request(method, path, headers, body)
    const route = `${method} ${path.split('?')[0]}`
    const errorCode =
      answer.status >= 400 ? ((answer.body as { code?: ErrorCode } | null)?.code ?? null) : null
    if (route === 'GET /api/auth/authorize-url' && answer.status === 200) {
      authorize = answer.body as { url: string; state: string }
    }
    if (route === 'GET /api/me' && answer.status === 200) {
      expiresAt = Date.parse(String(valueAt(answer.body, 'session.expiresAt')))
    }
    observations.push({
      step: label,
      status: answer.status,
      code: errorCode,
      shape: shapeOf(answer.body),
      schema: problemsOf(schemaFor(route, answer.status), answer.body),
      ...(step.values
        ? { values: Object.fromEntries(step.values.map((p) => [p, valueAt(answer.body, p)])) }
        : {}),
    })
  }
  return observations
}
