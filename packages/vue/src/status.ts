/**
 * What the page is doing about the login: one discriminated union, changed only by
 * {@link transition}. A pure function of the state and an event, so every rule (no automatic login
 * after a cancel, a screen that waits for a tap stays up, the loop guard's verdict) is in one place
 * and tested on its own; the store performs what follows from a transition (the trip to WeChat).
 * @see docs/architecture.md#the-login-flow
 */
import type { MeResponse, Scope, SessionInfo, WechatUser } from '@wxauth/shared'
import type { AuthAction, UnavailableReason } from './error-actions.js'
import type { LoopGuardVerdict } from './loop-guard.js'

/**
 * The user said no to automatic logins on this page: they cancelled WeChat's consent, or signed
 * out. Until a session is loaded or they tap, a missing session brings that screen back instead of
 * a trip to WeChat. Only states without a session carry it.
 */
export type BlockedBy = 'cancelled' | 'signed-out'

/** What the page is doing about the login. */
export type AuthStatus =
  /** No session known yet, nothing running. */
  | { kind: 'idle'; blockedBy?: BlockedBy }
  /** `GET /me` is running. */
  | { kind: 'loading'; blockedBy?: BlockedBy }
  /** Signed in (with or without a profile: see `user`). */
  | { kind: 'ready' }
  /** Signed in, re-pulling the profile from WeChat (`POST /me/refresh`). */
  | { kind: 'refreshing' }
  /** A snapshot-page (快照页) guest: read-only. */
  | { kind: 'snapshot' }
  /** On the way to WeChat's authorize page. */
  | { kind: 'redirecting'; scope: Scope }
  /**
   * The user tapped 拒绝 on the consent page: a screen that waits for a tap. `intent`: what the
   * cancelled login was for (the screen's wording; nothing is completed).
   */
  | { kind: 'cancelled'; intent?: string }
  /**
   * A `snsapi_base` session tried something that needs the profile: ask, on a tap. `intent`: what
   * it was (`'join'`, `'refresh'`…), carried through the login and completed on return.
   */
  | { kind: 'upgrade'; intent?: string }
  /** WeChat, the network or the server failed; retrying resumes (a pending code is kept). */
  | { kind: 'unavailable'; reason: UnavailableReason; blockedBy?: BlockedBy }
  /** The loop guard refused an automatic trip: a screen that waits for a tap. */
  | { kind: 'loop-stopped'; reason: 'too-many-trips' | 'back-forward' }
  /** Outside WeChat's browser where only WeChat works (`wechatOnly`): a QR code, never a login. */
  | { kind: 'open-in-wechat' }
  /** After `logout()`: a screen that waits for a tap. */
  | { kind: 'signed-out' }

/** The `kind` of an {@link AuthStatus}. */
export type AuthStatusKind = AuthStatus['kind']

/** Statuses shown as a full screen instead of the page. */
export type ScreenKind = Extract<
  AuthStatusKind,
  'cancelled' | 'upgrade' | 'unavailable' | 'loop-stopped' | 'open-in-wechat' | 'signed-out'
>

/** Everything the transition function decides: the status, and who is signed in. */
export interface AuthState {
  status: AuthStatus
  /** The stored profile; `null` before one is known (a `snsapi_base` session) or without a session. */
  user: WechatUser | null
  /** The session's facts (`scope`, `snapshot`, `expiresAt`); `null` without a session. */
  session: SessionInfo | null
}

/** Something that happened. */
export type AuthEvent =
  /** `GET /me` starts (the store sends it only without a session and with no screen waiting). */
  | { type: 'load' }
  | { type: 'loaded'; me: MeResponse }
  /** `GET /me` failed in a way no failure action already handled. */
  | { type: 'load-failed' }
  /** A login was asked for: by a tap (`manual`), or automatically with the loop guard's verdict. */
  | { type: 'login'; scope: Scope; manual: boolean; guard: LoopGuardVerdict }
  /** The authorize URL could not be had. */
  | { type: 'redirect-failed' }
  /**
   * A request failed and {@link AuthAction} says what to do. `login`/`fresh-login` change nothing
   * here: the store turns them into an automatic `login` event.
   */
  | { type: 'failure'; action: AuthAction }
  /** The app needs the profile for `intent` (a tap on 报名 with a `snsapi_base` session). */
  | { type: 'profile-needed'; intent?: string }
  | { type: 'refresh' }
  /** The profile refresh ended: the fresh profile, or `null` when it failed. */
  | { type: 'refreshed'; user: WechatUser | null }
  | { type: 'signed-out' }
  /** Leave a screen and carry on (retry, "not now"). */
  | { type: 'resume' }
  /** The page came back from the back/forward cache (`pageshow` with `persisted`). */
  | { type: 'page-restored' }

const SCREENS: ReadonlySet<AuthStatusKind> = new Set<ScreenKind>([
  'cancelled',
  'upgrade',
  'unavailable',
  'loop-stopped',
  'open-in-wechat',
  'signed-out',
])

const WAITS_FOR_TAP: ReadonlySet<AuthStatusKind> = new Set<AuthStatusKind>([
  'cancelled',
  'loop-stopped',
  'open-in-wechat',
  'signed-out',
])

/** The full screen a status shows instead of the page, or `null`. */
export function screenOf(status: AuthStatus): ScreenKind | null {
  return SCREENS.has(status.kind) ? (status.kind as ScreenKind) : null
}

/** Does this status wait for a tap (no automatic login, nothing loaded behind the user's back)? */
export function waitsForTap(status: AuthStatus): boolean {
  return WAITS_FOR_TAP.has(status.kind)
}

/** Which decline, if any, keeps automatic logins off in this status. */
export function blockedByOf(status: AuthStatus): BlockedBy | undefined {
  switch (status.kind) {
    case 'cancelled':
    case 'signed-out':
      return status.kind
    case 'idle':
    case 'loading':
    case 'unavailable':
      return status.blockedBy
    default:
      return undefined
  }
}

/**
 * The status a page lands in, from what the landing URL and the browser say (`intent`: what a
 * cancelled login was for).
 */
export function initialStatus(landing: {
  cancelled: boolean
  outsideWechat: boolean
  intent?: string | undefined
}): AuthStatus {
  if (landing.outsideWechat) return { kind: 'open-in-wechat' }
  if (landing.cancelled) return { kind: 'cancelled', ...withIntent(landing.intent) }
  return { kind: 'idle' }
}

const blocked = (by: BlockedBy | undefined) => (by === undefined ? {} : { blockedBy: by })
const withIntent = (intent: string | undefined) => (intent === undefined ? {} : { intent })

/** Where the page settles without a screen: the session decides; a decline is remembered. */
function settled(state: AuthState): AuthStatus {
  if (state.session === null) return { kind: 'idle', ...blocked(blockedByOf(state.status)) }
  return state.session.snapshot ? { kind: 'snapshot' } : { kind: 'ready' }
}

function withStatus(state: AuthState, status: AuthStatus): AuthState {
  return { ...state, status }
}

/**
 * The one transition function. Returns `state` itself when the event changes nothing, so a caller
 * can tell.
 */
export function transition(state: AuthState, event: AuthEvent): AuthState {
  const { status } = state
  switch (event.type) {
    case 'load':
      if (state.session !== null || waitsForTap(status)) return state
      return withStatus(state, { kind: 'loading', ...blocked(blockedByOf(status)) })

    case 'loaded': {
      const next = { ...state, user: event.me.user, session: event.me.session }
      return withStatus(next, settled(next))
    }

    case 'load-failed':
      if (status.kind !== 'loading') return state // a failure action already chose the screen
      return withStatus(state, {
        kind: 'unavailable',
        reason: 'server',
        ...blocked(status.blockedBy),
      })

    case 'login': {
      if (status.kind === 'redirecting') return state // parallel 401s make one trip
      if (event.manual) return withStatus(state, { kind: 'redirecting', scope: event.scope })
      if (status.kind === 'open-in-wechat') return state
      const by = blockedByOf(status)
      if (by !== undefined) return status.kind === by ? state : withStatus(state, { kind: by })
      // The unavailable screen stays until its 重试: a parallel request that carried the same code
      // may come back CODE_USED after WeChat failed the first (e2e/screens.test.ts), and whisking
      // the user off to WeChat while it is down only makes a loop for the guard to stop.
      if (status.kind === 'unavailable') return state
      if (!event.guard.allowed) {
        return withStatus(state, { kind: 'loop-stopped', reason: event.guard.reason })
      }
      return withStatus(state, { kind: 'redirecting', scope: event.scope })
    }

    case 'redirect-failed':
      if (status.kind !== 'redirecting') return state
      return withStatus(state, { kind: 'unavailable', reason: 'server' })

    case 'failure': {
      // A screen that waits for a tap stays up.
      if (waitsForTap(status)) return state
      const { action } = event
      switch (action.type) {
        case 'unavailable':
          return withStatus(state, {
            kind: 'unavailable',
            reason: action.reason,
            ...blocked(blockedByOf(status)),
          })
        case 'snapshot':
          return withStatus(state, { kind: 'snapshot' })
        case 'upgrade':
          // already asking (perhaps for a named intent): keep it
          return status.kind === 'upgrade' ? state : withStatus(state, { kind: 'upgrade' })
        default:
          return state
      }
    }

    case 'profile-needed':
      // only a signed-in page that may write: a snapshot guest stays read-only, a screen stays up
      if (status.kind !== 'ready' && status.kind !== 'refreshing' && status.kind !== 'upgrade') {
        return state
      }
      if (state.session === null || state.session.snapshot) return state
      return withStatus(state, { kind: 'upgrade', ...withIntent(event.intent) })

    case 'refresh':
      return status.kind === 'ready' ? withStatus(state, { kind: 'refreshing' }) : state

    case 'refreshed': {
      const next = event.user === null ? state : { ...state, user: event.user }
      return status.kind === 'refreshing' ? withStatus(next, settled(next)) : next
    }

    case 'signed-out':
      return { status: { kind: 'signed-out' }, user: null, session: null }

    case 'resume':
      return withStatus(state, settled(state))

    case 'page-restored':
      return status.kind === 'redirecting' ? withStatus(state, settled(state)) : state
  }
}
