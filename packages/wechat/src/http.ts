/**
 * The one function that talks to api.weixin.qq.com: a timeout per attempt, the body read as text
 * and JSON-parsed whatever the Content-Type, errcode → typed error, schema validation, bounded
 * retries for idempotent reads, and an `onCall` event per attempt.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { errcodeKind } from './constants.js'
import {
  isTransient,
  WechatApiError,
  WechatUnavailableError,
  type UnavailableReason,
} from './errors.js'

/** One attempt at one endpoint, as the BFF logs it. Carries no secret, token or code by construction. */
export interface WechatCallEvent {
  /** e.g. 'sns/oauth2/access_token' (no leading slash) */
  endpoint: string
  durationMs: number
  /** 1-based */
  attempt: number
  ok: boolean
  /** when WeChat answered with an errcode */
  errcode?: number
  /** 'timeout' | 'network' | 'http-status' | 'garbage' when unavailable */
  reason?: string
  /** The HTTP status of an `http-status` failure (a 5xx, a 4xx or an unfollowed 3xx). */
  status?: number
}

/** The slice of a TypeBox `Validator` (from `typebox/compile`) this module needs. */
export interface BodyValidator<T> {
  Check(value: unknown): value is T
  Errors(value: unknown): ReadonlyArray<{ instancePath: string; message: string }>
}

/** Transport settings shared by every call of one client. */
export interface HttpConfig {
  apiBase: string
  fetch: typeof fetch
  timeoutMs: number
  /** Extra attempts for idempotent reads. */
  retries: number
  /** Attempt n (1-based) that failed waits `base * 2^(n-1)` plus up to `base` of jitter. */
  retryBaseDelayMs: number
  now: () => number
  onCall?: ((event: WechatCallEvent) => void) | undefined
}

export interface WechatRequest<T> {
  /** Path under the API base, no leading slash; also the `endpoint` of errors and events. */
  endpoint: string
  method: 'GET' | 'POST'
  /** Query parameters, sent in this order. */
  query?: ReadonlyArray<readonly [string, string]>
  /** JSON body (POST). */
  json?: Record<string, unknown>
  validator: BodyValidator<T>
  /** Safe to repeat: only then is a transient failure retried. */
  idempotent: boolean
  /** Values (secret, tokens, code) blanked out of anything that could end up in an error. */
  sensitive: readonly string[]
}

export interface WechatResponse<T> {
  body: T
  /** `now()` just before the attempt that produced `body` was sent: expiries count from here. */
  startedAt: number
}

const REDACTED = '[redacted]'

/** Blank out every sensitive value, raw or URL-encoded, from a text that may reach an error. */
export function redact(text: string, sensitive: readonly string[]): string {
  let out = text
  for (const value of sensitive) {
    if (value.length === 0) continue
    const forms = new Set([
      value,
      encodeURIComponent(value),
      new URLSearchParams([['', value]]).toString().slice(1),
      JSON.stringify(value).slice(1, -1),
    ])
    for (const form of forms) out = out.split(form).join(REDACTED)
  }
  return out
}

/**
 * Describe a fetch failure by its error names and codes only (e.g. `TypeError (ECONNREFUSED)`):
 * an upstream message may quote the URL, and the URL may carry the secret.
 */
function describeNetworkError(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; depth < 3 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code
    parts.push(typeof code === 'string' ? `${current.name} ${code}` : current.name)
    current = current.cause
  }
  return parts.length > 0 ? parts.join(' <- ') : 'non-Error thrown by fetch'
}

function buildUrl(apiBase: string, request: WechatRequest<unknown>): string {
  const query = request.query
    ? new URLSearchParams(request.query.map(([k, v]): [string, string] => [k, v]))
    : null
  const search = query && query.size > 0 ? `?${query.toString()}` : ''
  return `${apiBase}/${request.endpoint}${search}`
}

function parseBody<T>(endpoint: string, text: string, request: WechatRequest<T>): T {
  const garbage = (detail: string) => new WechatUnavailableError(endpoint, 'garbage', detail)
  let json: unknown
  try {
    // WeChat sends JSON as text/plain or `application/json; encoding=utf-8`: never trust the header.
    json = JSON.parse(text)
  } catch {
    throw garbage(`body is not JSON (${text.length} chars)`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw garbage('body is not a JSON object')
  }
  const { errcode, errmsg } = json as { errcode?: unknown; errmsg?: unknown }
  // Success bodies omit errcode (token, userinfo) or carry 0 (sns/auth, getticket).
  if (errcode !== undefined && errcode !== 0) {
    if (typeof errcode !== 'number' || !Number.isInteger(errcode)) {
      throw garbage('errcode is not an integer')
    }
    const message = typeof errmsg === 'string' ? redact(errmsg, request.sensitive) : ''
    throw new WechatApiError(endpoint, errcode, message, errcodeKind(errcode))
  }
  if (!request.validator.Check(json)) {
    const first = request.validator.Errors(json)[0]
    const where = first ? `${first.instancePath || '/'} ${first.message}` : 'schema mismatch'
    throw garbage(redact(`unexpected body shape: ${where}`, request.sensitive))
  }
  return json
}

async function attemptOnce<T>(config: HttpConfig, request: WechatRequest<T>): Promise<T> {
  const { endpoint } = request
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, config.timeoutMs)
  const unavailable = (reason: UnavailableReason, detail: string, status?: number) =>
    new WechatUnavailableError(endpoint, reason, detail, status)
  const failed = (error: unknown) =>
    timedOut
      ? unavailable('timeout', `no answer within ${config.timeoutMs} ms`)
      : unavailable('network', redact(describeNetworkError(error), request.sensitive))
  try {
    let response: Response
    try {
      response = await config.fetch(buildUrl(config.apiBase, request), {
        method: request.method,
        headers: request.json
          ? { accept: 'application/json', 'content-type': 'application/json' }
          : { accept: 'application/json' },
        ...(request.json ? { body: JSON.stringify(request.json) } : {}),
        signal: controller.signal,
        // WeChat's API never redirects; following one would hand the query (secret included) to
        // whatever host the Location names.
        redirect: 'manual',
      })
    } catch (error) {
      throw failed(error)
    }
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel().catch(() => undefined)
      throw unavailable('http-status', `HTTP ${response.status}`, response.status)
    }
    let text: string
    try {
      text = await response.text()
    } catch (error) {
      throw failed(error)
    }
    return parseBody(endpoint, text, request)
  } finally {
    clearTimeout(timer)
  }
}

function emit(config: HttpConfig, event: WechatCallEvent): void {
  try {
    config.onCall?.(event)
  } catch {
    // A failing logger must not turn a good WeChat answer into an error.
  }
}

/**
 * Call one WeChat endpoint. Throws `WechatApiError` for a non-zero errcode and
 * `WechatUnavailableError` when no usable answer came back. Only `idempotent` requests are retried,
 * and only on transient failures (-1/-1000, timeout, network, HTTP 5xx), at most `retries` times.
 */
export async function wechatRequest<T>(
  config: HttpConfig,
  request: WechatRequest<T>,
): Promise<WechatResponse<T>> {
  const maxAttempts = request.idempotent ? config.retries + 1 : 1
  for (let attempt = 1; ; attempt++) {
    const startedAt = config.now()
    const t0 = performance.now()
    try {
      const body = await attemptOnce(config, request)
      emit(config, {
        endpoint: request.endpoint,
        durationMs: performance.now() - t0,
        attempt,
        ok: true,
      })
      return { body, startedAt }
    } catch (error) {
      const event: WechatCallEvent = {
        endpoint: request.endpoint,
        durationMs: performance.now() - t0,
        attempt,
        ok: false,
      }
      if (error instanceof WechatApiError) event.errcode = error.errcode
      if (error instanceof WechatUnavailableError) {
        event.reason = error.reason
        if (error.status !== undefined) event.status = error.status
      }
      emit(config, event)
      if (attempt >= maxAttempts || !isTransient(error)) throw error
      const base = config.retryBaseDelayMs
      await sleep(base * 2 ** (attempt - 1) + Math.random() * base)
    }
  }
}
