/**
 * The one HTTP client of a `createWechatAuth()` instance: the app's business calls and the login's
 * own calls all go through it (docs/architecture.md#the-login-flow).
 * - While the page holds a WeChat code, every request under `baseURL` carries it in
 *   `X-WeChat-Code` / `X-WeChat-State`; the server exchanges it once however many requests carry
 *   it. The first 2xx drops it. Requests elsewhere never see it.
 * - Every failure under `baseURL` is mapped to an {@link AuthAction} in one place and handed to
 *   the instance; the promise still rejects, so callers can stop what they were doing.
 * - No automatic retries: a retried request could spend a code twice.
 *
 * The behaviour sits in the `fetch` the ofetch instance is built on, not in its hooks: a caller's
 * own `onRequest`/`onResponse` options replace the instance's hooks in ofetch, and must not be able
 * to switch the code handling off.
 */
import { ofetch, type $Fetch, type FetchOptions } from 'ofetch'
import { CODE_HEADER, STATE_HEADER, type ErrorCode } from '@wxauth/shared'
import {
  actionForFailure,
  contractCodeOf,
  type ApiFailure,
  type AuthAction,
} from './error-actions.js'
import type { PendingCode } from './landing.js'

/**
 * Our own ceiling for one call. The server bounds each WeChat call (a few seconds, at most two
 * retries), so a request still open after this is a dead network, not a slow WeChat.
 */
export const REQUEST_TIMEOUT_MS = 15_000

/** The ofetch instance of an auth instance. */
export type WechatAuthApi = $Fetch

/**
 * The same client for optional extras: a failure rejects the promise and nothing else (no login,
 * no screen), because the page works without them. It still carries and drops the code.
 */
export type QuietApi = <T = unknown>(request: string, options?: FetchOptions<'json'>) => Promise<T>

/** Marks a request made through {@link QuietApi}; ofetch hands its options through to `fetch`. */
const QUIET = Symbol('wxauth.quiet')

/** The pending code of one instance: read on every request, dropped once. */
export interface PendingCodeHolder {
  get(): PendingCode | null
  clear(): void
}

/** A holder for the code the page landed with. */
export function createPendingCode(initial: PendingCode | null): PendingCodeHolder {
  let pending = initial
  return {
    get: () => pending,
    clear: () => {
      pending = null
    },
  }
}

/** What {@link createAuthClient} needs. */
export interface AuthClientOptions {
  /** Where the auth API lives: `/api`, or an absolute URL. Only requests under it carry the code. */
  baseURL: string
  timeout: number
  /** The transport; by default the global `fetch` at the time of each call. */
  fetch?: typeof globalThis.fetch
  pending: PendingCodeHolder
  /** Called once per failed request under `baseURL`, after the pending code was handled. */
  onFailure: (action: AuthAction, failure: ApiFailure) => void
}

/** The two faces of the one client. */
export interface AuthClient {
  api: WechatAuthApi
  quietApi: QuietApi
}

function urlOf(input: RequestInfo | URL): string {
  return typeof input === 'object' && 'url' in input ? input.url : String(input)
}

/**
 * Read an error response's contract code, and hand on an unread copy for ofetch to parse. Read and
 * rebuilt rather than `clone()`d: some fetch implementations (happy-dom's, used by tests) return an
 * empty body from both halves of a clone.
 */
async function readErrorCode(response: Response): Promise<[Response, ErrorCode | null]> {
  let text: string
  try {
    text = await response.text()
  } catch {
    return [response, null] // the body broke off: the status decides
  }
  let code: ErrorCode | null = null
  try {
    code = contractCodeOf(JSON.parse(text))
  } catch {
    // not JSON (a proxy's HTML error page): the status decides
  }
  const copy = new Response(text, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  })
  Object.defineProperty(copy, 'url', { value: response.url })
  return [copy, code]
}

/** Create the client of an instance (`createWechatAuth()` does; apps use its `api`). */
export function createAuthClient(options: AuthClientOptions): AuthClient {
  const base = options.baseURL.replace(/\/+$/, '')
  const underBase = (url: string): boolean =>
    url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`)
  const transport: typeof globalThis.fetch =
    options.fetch || ((input, init) => globalThis.fetch(input, init))

  function report(failure: ApiFailure, quiet: boolean): void {
    const action = actionForFailure(failure)
    if (action.type === 'fresh-login') options.pending.clear()
    if (!quiet) options.onFailure(action, failure)
  }

  async function authFetch(
    input: RequestInfo | URL,
    init?: RequestInit & { [QUIET]?: boolean },
  ): Promise<Response> {
    if (!underBase(urlOf(input))) return transport(input, init)
    const quiet = init?.[QUIET] === true
    const pending = options.pending.get()
    let request = init
    if (pending !== null) {
      const headers = new Headers(init?.headers)
      headers.set(CODE_HEADER, pending.code)
      if (pending.state !== undefined) headers.set(STATE_HEADER, pending.state)
      request = { ...init, headers }
    }
    let response: Response
    try {
      response = await transport(input, request)
    } catch (error) {
      // no response at all: offline, DNS, reset, or our own timeout
      report({ kind: 'network' }, quiet)
      throw error
    }
    if (response.ok) options.pending.clear()
    if (response.status < 400) return response
    const [unread, code] = await readErrorCode(response)
    report({ kind: 'http', status: response.status, code }, quiet)
    return unread
  }

  const api = ofetch.create(
    { baseURL: options.baseURL, credentials: 'same-origin', retry: 0, timeout: options.timeout },
    { fetch: authFetch as typeof globalThis.fetch },
  )
  const quietApi: QuietApi = (request, requestOptions) =>
    api(request, { ...requestOptions, [QUIET]: true } as FetchOptions<'json'>)
  return { api, quietApi }
}
