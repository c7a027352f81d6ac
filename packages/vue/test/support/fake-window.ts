/**
 * A stand-in for the page (`AuthWindow`): a location that follows `history.replaceState`, a spy
 * for leaving the page, an in-memory sessionStorage and a `pageshow` that tests fire themselves.
 */
import { vi } from 'vitest'
import type { AuthWindow } from '../../src/window.js'

/** A WeChat browser on iOS. */
export const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
  'Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) NetType/WIFI Language/zh_CN'
/** A desktop browser: not WeChat. */
export const DESKTOP_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36'

/** A `Storage` in memory. */
export function memoryStorage(): Storage {
  const data = new Map<string, string>()
  return {
    get length() {
      return data.size
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, String(v)),
  }
}

export interface FakeWindow extends AuthWindow {
  /** `location.assign`: where the page left for. */
  assign: ReturnType<typeof vi.fn<(url: string) => void>>
  replaceState: ReturnType<typeof vi.fn<History['replaceState']>>
  sessionStorage: Storage
  /** Fire `pageshow` (`persisted`: restored from the back/forward cache). */
  pageshow(persisted: boolean): void
  /** How many `pageshow` listeners are registered. */
  listeners(): number
}

export interface FakeWindowOptions {
  userAgent?: string
  navigationType?: string
  storage?: Storage
}

/** A page at `href`. */
export function fakeWindow(href: string, options: FakeWindowOptions = {}): FakeWindow {
  let url = new URL(href)
  const listeners = new Set<(event: PageTransitionEvent) => void>()
  const assign = vi.fn<(to: string) => void>()
  const replaceState = vi.fn<History['replaceState']>((_state, _title, to) => {
    if (to !== undefined && to !== null) url = new URL(String(to), url)
  })
  return {
    location: {
      get href() {
        return url.href
      },
      get pathname() {
        return url.pathname
      },
      get search() {
        return url.search
      },
      get hash() {
        return url.hash
      },
      assign,
    },
    history: { state: { key: 'router-state' }, replaceState },
    navigator: { userAgent: options.userAgent ?? WECHAT_UA },
    sessionStorage: options.storage ?? memoryStorage(),
    performance: {
      getEntriesByType: () =>
        [{ type: options.navigationType ?? 'navigate' }] as unknown as PerformanceEntryList,
    },
    addEventListener: (_type, listener) => void listeners.add(listener),
    removeEventListener: (_type, listener) => void listeners.delete(listener),
    assign,
    replaceState,
    pageshow(persisted) {
      for (const listener of [...listeners]) listener({ persisted } as PageTransitionEvent)
    },
    listeners: () => listeners.size,
  }
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })
}

/** The contract's error body. */
export function errorResponse(code: string, statusCode: number): Response {
  return json({ statusCode, code, message: 'x' }, statusCode)
}
