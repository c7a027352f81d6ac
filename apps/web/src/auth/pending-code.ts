/**
 * The WeChat `code`/`state` the page landed with, held in memory only: never in storage or the URL,
 * so a reload, the back button or a shared link can never replay a used code (DESIGN.md §3 step 3).
 * The API client sends it on every request until one succeeds.
 */

export interface PendingCode {
  code: string
  /** Absent when WeChat returned no state (it echoes only what the authorize URL carried). */
  state?: string
}

let pending: PendingCode | null = null

/** Remember the code from the landing URL (boot only). */
export function setPendingCode(value: PendingCode | null): void {
  pending = value
}

/** The code still waiting for a successful response, if any. */
export function getPendingCode(): PendingCode | null {
  return pending
}

/** Forget the code: after the first 2xx, or when the BFF says it is unusable. */
export function clearPendingCode(): void {
  pending = null
}
