/**
 * The one HTTP client of the SPA: every BFF call goes through it (DESIGN.md §3 step 4).
 * - While the page holds a WeChat code, every `/api` request carries it in `X-WeChat-Code` /
 *   `X-WeChat-State`; the BFF exchanges it once however many requests carry it. The first 2xx
 *   drops it.
 * - Every failure is mapped to an {@link AuthAction} in one place and handed to the listener the
 *   auth store registers; the promise still rejects, so callers can stop what they were doing.
 * - No automatic retries: a retried request could spend a code twice.
 */
import { ofetch, type $Fetch } from 'ofetch'
import { CODE_HEADER, STATE_HEADER, isErrorBody } from '@wxauth/shared'
import { actionForFailure, type ApiFailure, type AuthAction } from '../auth/error-actions.js'
import { clearPendingCode, getPendingCode } from '../auth/pending-code.js'

/**
 * Our own ceiling for one BFF call. The BFF bounds each WeChat call (a few seconds, at most two
 * retries), so a request still open after this is a dead network, not a slow WeChat.
 */
export const REQUEST_TIMEOUT_MS = 15_000

export type ApiFailureListener = (action: AuthAction, failure: ApiFailure) => void

export interface ApiClientOptions {
  /** The transport (tests inject one); defaults to the global `fetch`. */
  fetch?: typeof globalThis.fetch
  baseURL?: string
  timeout?: number
  /** Called once per failed request, after the pending code was handled. */
  onFailure?: ApiFailureListener
}

/** Create a client (the app uses {@link api}). */
export function createApiClient(options: ApiClientOptions = {}): $Fetch {
  const report = (failure: ApiFailure): void => {
    const action = actionForFailure(failure)
    if (action.type === 'fresh-login') clearPendingCode()
    options.onFailure?.(action, failure)
  }
  return ofetch.create(
    {
      baseURL: options.baseURL ?? '/api',
      credentials: 'same-origin',
      retry: 0,
      timeout: options.timeout ?? REQUEST_TIMEOUT_MS,
      onRequest({ options: request }) {
        const pending = getPendingCode()
        if (pending === null) return
        request.headers.set(CODE_HEADER, pending.code)
        if (pending.state !== undefined) request.headers.set(STATE_HEADER, pending.state)
      },
      onResponse({ response }) {
        if (response.ok) clearPendingCode()
      },
      onResponseError({ response }) {
        const data: unknown = response._data
        report({
          kind: 'http',
          status: response.status,
          code: isErrorBody(data) ? data.code : null,
        })
      },
      onRequestError() {
        report({ kind: 'network' })
      },
    },
    options.fetch ? { fetch: options.fetch } : {},
  )
}

let listener: ApiFailureListener | null = null

/** Register the handler of failed calls (the auth store does, once it exists). */
export function setApiFailureListener(next: ApiFailureListener | null): void {
  listener = next
}

/** The app's client: `/api`, same-origin cookies, no retries. */
export const api: $Fetch = createApiClient({
  onFailure: (action, failure) => listener?.(action, failure),
})

/**
 * The same client for optional extras (the follow card, JS-SDK sharing): their failures are the
 * caller's to log and never switch the page to a login or a screen, since the page works without them.
 */
export const quietApi: $Fetch = createApiClient()
