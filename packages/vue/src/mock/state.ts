/**
 * The mock BFF's state: what the real BFF keeps in its database and its cookies, for one browser
 * tab. It lives in a `Storage` (the tab's `sessionStorage` in `pnpm dev:mock`, memory in tests),
 * read before and written after every change, because two documents of one tab use it in turn: the
 * page (whose service worker hands it the API requests) and the mock consent page it leaves for.
 * A full-page navigation therefore keeps the mock session, a new tab starts afresh, and nothing
 * survives closing the tab.
 *
 * The cookies are fields here: `cookie` is the session the real BFF's httpOnly session cookie would
 * name, `stateCookie` the login's signed state cookie. Keyed per tab, not per browser (a real
 * cookie is shared by every tab): so two tabs can run two scenarios side by side.
 */
import type { Scope, WechatUser } from '@wxauth/shared'
import { MOCK_PERSONA_IDS, isMockPersonaId, type MockPersonaId } from './personas.js'
import { isScenarioName, type ScenarioName } from './scenarios.js'

/** The storage key of the mock's state (one JSON document). */
export const MOCK_STATE_KEY = 'wxauth:mock'

/** A session, as the real BFF's sessions table would hold it (no tokens: the mock has none). */
export interface MockSession {
  id: string
  persona: MockPersonaId
  scope: Scope
  snapshot: boolean
  /** The stored user; `null` for a base session before consent, and for snapshot guests. */
  userId: number | null
  /** Epoch ms; `0` while a session of the `expired` scenario has not been used yet. */
  expiresAt: number
  /** Set on the `expired` scenario's session: its life, counted from its first use. */
  lifeMs?: number
}

/** What became of a code: the session it made, or the error it answered (kept like the real BFF). */
export type MockCodeOutcome =
  | { ok: true; sessionId: string; state: string }
  | { ok: false; code: 'CODE_INVALID'; state: string }

/** A code the mock consent page handed out. */
export interface MockCode {
  persona: MockPersonaId
  scope: Scope
  issuedAt: number
  outcome?: MockCodeOutcome
}

/** A stored user: the shared `WechatUser` plus which persona it is. */
export type MockUser = WechatUser & { persona: MockPersonaId }

/** Everything the mock keeps. */
export interface MockData {
  version: 1
  scenario: ScenarioName
  /** Who a silent login signs in as, and who is preselected on the consent page. */
  persona: MockPersonaId
  nextUserId: number
  users: MockUser[]
  sessions: MockSession[]
  /** The session the session cookie names; `null`: no cookie. */
  cookie: string | null
  /** The state cookie `GET /auth/authorize-url` set. */
  stateCookie: { state: string; issuedAt: number } | null
  codes: Record<string, MockCode>
  /** The app's own business state (`mock.appState(key, init)`), by key. */
  app: Record<string, unknown>
}

/** The storage the state lives in (`sessionStorage` has this shape). */
export type MockStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

/** A `Storage` in memory, for tests and hosts without `sessionStorage`. */
export function memoryStorage(): MockStorage {
  const items = new Map<string, string>()
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  }
}

/** Fresh state: no user, no session, the scenario and persona given. */
export function emptyData(scenario: ScenarioName, persona: MockPersonaId): MockData {
  return {
    version: 1,
    scenario,
    persona,
    nextUserId: 1,
    users: [],
    sessions: [],
    cookie: null,
    stateCookie: null,
    codes: {},
    app: {},
  }
}

/** A stored document, if it is one of ours (anything else counts as no state). */
function parse(raw: string | null): MockData | null {
  if (raw === null) return null
  try {
    const data = JSON.parse(raw) as Partial<MockData> | null
    if (
      data &&
      data.version === 1 &&
      isScenarioName(data.scenario) &&
      isMockPersonaId(data.persona) &&
      Array.isArray(data.users) &&
      Array.isArray(data.sessions)
    ) {
      return data as MockData
    }
  } catch {
    // corrupted: start afresh rather than break the page
  }
  return null
}

/** The state, read from and written to a storage. */
export interface MockStore {
  /** The current state (a copy: change it through {@link MockStore.update}). */
  read(): MockData
  /** Read, change, write back; returns what `change` returns. */
  update<T>(change: (data: MockData) => T): T
  /** Replace the whole state. */
  write(data: MockData): void
}

/** A store over `storage` under {@link MOCK_STATE_KEY}. */
export function createMockStore(storage: MockStorage): MockStore {
  let memory: MockData | null = null
  const read = (): MockData => {
    let stored: MockData | null = null
    try {
      stored = parse(storage.getItem(MOCK_STATE_KEY))
    } catch {
      stored = memory // storage refused: this page's copy
    }
    return stored ?? memory ?? emptyData('new', MOCK_PERSONA_IDS[0])
  }
  const write = (data: MockData): void => {
    memory = data
    try {
      storage.setItem(MOCK_STATE_KEY, JSON.stringify(data))
    } catch {
      // quota or disabled storage: the in-memory copy still serves this page
    }
  }
  return {
    read: () => structuredClone(read()),
    update(change) {
      const data = read()
      const result = change(data)
      write(data)
      return result
    },
    write,
  }
}
