/**
 * What the mock BFF does, without HTTP: the same decisions as `@wxauth/fastify`
 * (docs/architecture.md#the-login-flow) over the mock's state, so the SPA's boot, client, loop guard
 * and screens meet the answers they meet in production. The HTTP handlers (handlers.ts) and the mock
 * consent page (consent-page.ts) are thin layers over it.
 *
 * Where it follows the real server: a state per login bound to the tab (the state cookie), a code
 * exchanged once (its outcome kept for 5 minutes, bound to its state), `snsapi_base` finding a
 * stored profile, `snsapi_userinfo` storing one, snapshot guests (no user, 30-minute session),
 * sessions of 7 days, the upgrade of a base session in place. Where it differs: codes come from the
 * mock consent page instead of WeChat, a failed exchange in the `unavailable` scenario leaves the
 * code usable (WeChat may or may not have spent it), and there are no WeChat tokens at all.
 */
import {
  CODE_HEADER,
  CODE_PATTERN,
  STATE_HEADER,
  STATE_PATTERN,
  stripAuthParams,
  type ErrorCode,
  type Scope,
  type SessionInfo,
  type WechatUser,
} from '@wxauth/shared'
import {
  mockHeadimgurl,
  mockOpenid,
  mockPersona,
  mockUnionid,
  type MockPersonaId,
} from './personas.js'
import { EXPIRED_SESSION_LIFE_MS, type ScenarioName } from './scenarios.js'
import { emptyData, type MockData, type MockSession, type MockUser } from './state.js'

/** The real server's default session lifetime (`sessionTtl`, 7 days). */
export const SESSION_TTL_MS = 7 * 86_400_000
/** Snapshot guests' sessions, as the real server gives them (`SNAPSHOT_SESSION_TTL_MS`). */
export const SNAPSHOT_SESSION_TTL_MS = 30 * 60_000
/** A code lives 5 minutes ("5分钟未被使用自动过期"); its outcome is kept as long. */
export const CODE_TTL_MS = 5 * 60_000
/** The state cookie's life (the real server's `STATE_TTL_SECONDS`). */
export const STATE_TTL_MS = 600_000
/** Our states are 32 base62 characters, as the real server's. */
export const STATE_LENGTH = 32

/** A failure the error contract answers: the code, and a message when it says more than the default. */
export interface MockFailure {
  code: ErrorCode
  message?: string
}

/** A signed-in request: the session, and its stored user (`null` before consent or for a guest). */
export interface MockSignedIn {
  session: MockSession
  user: MockUser | null
}

/** Either a signed-in request or why not. */
export type MockAuthResult = { ok: true; value: MockSignedIn } | { ok: false; failure: MockFailure }

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** `length` random base62 characters (Web Crypto: browsers and Node alike). */
export function randomBase62(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  let out = ''
  // 248 = 4 × 62: bytes above it are dropped so every character is equally likely.
  for (const byte of bytes) if (byte < 248) out += BASE62[byte % 62]
  return out.length >= length ? out.slice(0, length) : out + randomBase62(length - out.length)
}

/** The user as the API shows it (the stored record without the mock's bookkeeping). */
export function publicUser(user: MockUser): WechatUser {
  const { persona: _persona, ...rest } = user
  return rest
}

/** The session facts the API shows. */
export function sessionInfo(session: MockSession): SessionInfo {
  return {
    scope: session.scope,
    snapshot: session.snapshot,
    expiresAt: new Date(session.expiresAt).toISOString(),
  }
}

/** The profile WeChat's `sns/userinfo` gives for a persona (since 2021: sex 0, no region). */
function profileOf(persona: MockPersonaId, appId: string) {
  const unionid = mockUnionid(persona)
  return {
    openid: mockOpenid(persona, appId),
    ...(unionid === undefined ? {} : { unionid }),
    nickname: mockPersona(persona).nickname,
    headimgurl: mockHeadimgurl(persona),
    sex: 0,
    province: '',
    city: '',
    country: '',
    privilege: [] as string[],
  }
}

/** Store (or refresh) the persona's profile, as a `snsapi_userinfo` login does. */
export function upsertProfile(
  data: MockData,
  persona: MockPersonaId,
  appId: string,
  now: number,
): MockUser {
  const existing = data.users.find((u) => u.persona === persona)
  if (existing) {
    Object.assign(existing, profileOf(persona, appId))
    return existing
  }
  const user: MockUser = {
    id: data.nextUserId++,
    ...profileOf(persona, appId),
    createdAt: new Date(now).toISOString(),
    persona,
  }
  data.users.push(user)
  return user
}

/** Fresh state for a scenario: what the real BFF would hold before the page loads in it. */
export function scenarioData(
  scenario: ScenarioName,
  persona: MockPersonaId,
  appId: string,
  now: number,
): MockData {
  const data = emptyData(scenario, persona)
  const guest = mockPersona(persona).snapshot
  if ((scenario === 'returning' || scenario === 'expired') && !guest) {
    // Signed up some days ago: the profile is stored.
    upsertProfile(data, persona, appId, now - 3 * 86_400_000)
  }
  if (scenario === 'expired') {
    const user = data.users[0] ?? null
    const session: MockSession = {
      id: randomBase62(43),
      persona,
      scope: 'snsapi_base',
      snapshot: guest,
      userId: user?.id ?? null,
      expiresAt: 0,
      lifeMs: EXPIRED_SESSION_LIFE_MS,
    }
    data.sessions.push(session)
    data.cookie = session.id
  }
  return data
}

/** The live session the tab's cookie names (starting the clock of a session that counts from its first use). */
function currentSession(data: MockData, now: number): MockSession | null {
  if (data.cookie === null) return null
  const session = data.sessions.find((s) => s.id === data.cookie)
  if (!session) return null
  if (session.expiresAt === 0 && session.lifeMs !== undefined)
    session.expiresAt = now + session.lifeMs
  return session.expiresAt > now ? session : null
}

function signedIn(data: MockData, session: MockSession): MockSignedIn {
  const user =
    session.userId === null || session.snapshot
      ? null
      : (data.users.find((u) => u.id === session.userId) ?? null)
  return { session, user }
}

/**
 * One code exchange, as `sign-in.ts` does it: a snapshot guest, the same person's session
 * upgraded in place, or a new session (`snsapi_userinfo` stores the profile, `snsapi_base` finds a
 * stored one).
 */
function signIn(
  data: MockData,
  code: { persona: MockPersonaId; scope: Scope },
  current: MockSession | null,
  appId: string,
  now: number,
): MockSession {
  const persona = mockPersona(code.persona)
  if (persona.snapshot) {
    const guest: MockSession = {
      id: randomBase62(43),
      persona: persona.id,
      scope: code.scope,
      snapshot: true,
      userId: null,
      expiresAt: now + SNAPSHOT_SESSION_TTL_MS,
    }
    data.sessions.push(guest)
    return guest
  }
  const stored = data.users.find((u) => u.persona === persona.id) ?? null
  const user =
    code.scope === 'snsapi_userinfo' ? upsertProfile(data, persona.id, appId, now) : stored
  if (current !== null && !current.snapshot && current.persona === persona.id) {
    if (code.scope === 'snsapi_userinfo' && current.scope === 'snsapi_base') {
      current.scope = 'snsapi_userinfo' // same person, more permission: upgraded in place
      current.userId = user?.id ?? null
    }
    return current
  }
  const session: MockSession = {
    id: randomBase62(43),
    persona: persona.id,
    scope: code.scope,
    snapshot: false,
    userId: user?.id ?? null,
    expiresAt: now + SESSION_TTL_MS,
  }
  data.sessions.push(session)
  return session
}

/** Who is asking: the request's WeChat code and state, or the body of `POST /auth/session`. */
export interface MockCredentials {
  code?: string | undefined
  state?: string | undefined
}

/** The credentials a request carries in `X-WeChat-Code` / `X-WeChat-State`. */
export function headerCredentials(request: Request): MockCredentials {
  return {
    code: request.headers.get(CODE_HEADER) ?? undefined,
    state: request.headers.get(STATE_HEADER) ?? undefined,
  }
}

/**
 * The real auth hook (`auth-hooks.ts`): a live session wins; a code has its state checked against
 * the state cookie, then is exchanged once; neither is 401 AUTH_REQUIRED.
 */
export function resolveRequest(
  data: MockData,
  { code, state }: MockCredentials,
  appId: string,
  now: number,
): MockAuthResult {
  const fail = (errorCode: ErrorCode, message?: string): MockAuthResult => ({
    ok: false,
    failure: message === undefined ? { code: errorCode } : { code: errorCode, message },
  })
  const current = currentSession(data, now)
  if (code === undefined) {
    if (current === null) {
      data.cookie = null // the real server clears a dead session cookie
      return fail('AUTH_REQUIRED')
    }
    return { ok: true, value: signedIn(data, current) }
  }
  if (!CODE_PATTERN.test(code)) return fail('VALIDATION_ERROR', 'The WeChat code is malformed')
  if (state === undefined) {
    return fail('VALIDATION_ERROR', 'A WeChat code must come with its state')
  }
  if (!STATE_PATTERN.test(state)) return fail('VALIDATION_ERROR', 'The WeChat state is malformed')

  const entry = data.codes[code]
  const fresh = entry !== undefined && now - entry.issuedAt < CODE_TTL_MS
  const known = fresh ? entry.outcome : undefined
  // A code that already produced this very session changes nothing.
  if (current !== null && known?.ok && known.sessionId === current.id) {
    return { ok: true, value: signedIn(data, current) }
  }
  const cookie = data.stateCookie
  if (cookie === null || now - cookie.issuedAt >= STATE_TTL_MS || cookie.state !== state) {
    return fail('STATE_MISMATCH')
  }
  if (known !== undefined) {
    // Joined to the kept outcome, which is bound to the state it was made with.
    if (known.state !== state) return fail('STATE_MISMATCH')
    if (!known.ok) return fail(known.code)
    const session = data.sessions.find((s) => s.id === known.sessionId)
    if (!session || session.expiresAt <= now) {
      return fail('CODE_USED', 'The login this code belonged to has ended; please log in again')
    }
    data.cookie = session.id
    data.stateCookie = null
    return { ok: true, value: signedIn(data, session) }
  }
  if (data.scenario === 'unavailable') return fail('WECHAT_UNAVAILABLE') // transient: not kept
  if (entry === undefined || !fresh || data.scenario === 'loop') {
    // WeChat's 40029 (invalid code): kept like any final outcome.
    if (entry !== undefined) entry.outcome = { ok: false, code: 'CODE_INVALID', state }
    return fail('CODE_INVALID')
  }
  const session = signIn(data, entry, current, appId, now)
  entry.outcome = { ok: true, sessionId: session.id, state }
  data.cookie = session.id
  data.stateCookie = null
  return { ok: true, value: signedIn(data, session) }
}

/** Same-origin relative `returnTo` → redirect_uri, by the real server's rules (`return-to.ts`). */
export function resolveReturnTo(returnTo: string, origin: string): string | null {
  if (!returnTo.startsWith('/') || returnTo.startsWith('//')) return null
  for (let i = 0; i < returnTo.length; i++) {
    const c = returnTo.charCodeAt(i)
    if (c <= 0x20 || c === 0x7f || c === 0x5c) return null
  }
  const path = returnTo.split('#')[0] ?? returnTo
  let target: URL
  try {
    target = new URL(path, origin)
  } catch {
    return null
  }
  if (target.origin !== origin) return null
  return stripAuthParams(target.origin + target.pathname + target.search)
}

/** Why the JS-SDK cannot be signed for `url` on a page of `origin` (the real server's `page-url.ts`). */
export function pageUrlProblem(url: string, origin: string): string | null {
  if (url.includes('#')) return 'url must not contain a #fragment'
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i)
    if (c <= 0x20 || c >= 0x7f) return 'url must be the address as the browser reports it'
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'url must be an absolute http(s) URL'
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return 'url must be an absolute http(s) URL'
  }
  if (parsed.username || parsed.password) return 'url must not carry credentials'
  if (parsed.origin !== origin) return `url must be a page of ${origin}`
  if (parsed.href !== url) return 'url must be written exactly as the browser reports it'
  return null
}
