import { describe, expect, it } from 'vitest'
import type { MeResponse, SessionInfo, WechatUser } from '@wxauth/shared'
import {
  blockedByOf,
  initialStatus,
  screenOf,
  transition,
  waitsForTap,
  type AuthState,
  type AuthStatus,
} from './status.js'

const user = { id: 1, openid: 'o1', nickname: '测试用户', headimgurl: '' } as WechatUser
const session: SessionInfo = {
  scope: 'snsapi_base',
  snapshot: false,
  expiresAt: '2030-01-01T00:00:00Z',
}
const me: MeResponse = { user, session }
const allowed = { allowed: true } as const

const noSession = (status: AuthStatus): AuthState => ({ status, user: null, session: null })
const signedIn = (status: AuthStatus, s: SessionInfo = session): AuthState => ({
  status,
  user,
  session: s,
})
const auto = (guard: { allowed: true } | { allowed: false; reason: 'too-many-trips' }) =>
  ({ type: 'login', scope: 'snsapi_base', manual: false, guard }) as const

describe('initialStatus', () => {
  it('lands idle, cancelled after a state-only callback, or open-in-wechat outside WeChat', () => {
    expect(initialStatus({ cancelled: false, outsideWechat: false })).toEqual({ kind: 'idle' })
    expect(initialStatus({ cancelled: true, outsideWechat: false })).toEqual({ kind: 'cancelled' })
    expect(initialStatus({ cancelled: true, outsideWechat: true })).toEqual({
      kind: 'open-in-wechat',
    })
  })

  it('a cancelled login names what it was for (the screen words it)', () => {
    expect(initialStatus({ cancelled: true, outsideWechat: false, intent: 'join' })).toEqual({
      kind: 'cancelled',
      intent: 'join',
    })
  })
})

describe('transition', () => {
  it('returns the same state when an event changes nothing', () => {
    const state = signedIn({ kind: 'ready' })
    expect(transition(state, { type: 'load' })).toBe(state)
    expect(transition(state, { type: 'failure', action: { type: 'none' } })).toBe(state)
    expect(transition(state, { type: 'page-restored' })).toBe(state)
  })

  describe('loading the session', () => {
    it('load → loaded: ready with the user, or snapshot for a snapshot session', () => {
      const loading = transition(noSession({ kind: 'idle' }), { type: 'load' })
      expect(loading.status).toEqual({ kind: 'loading' })
      const ready = transition(loading, { type: 'loaded', me })
      expect(ready).toEqual({ status: { kind: 'ready' }, user, session })
      const snap = { user: null, session: { ...session, snapshot: true } }
      expect(transition(loading, { type: 'loaded', me: snap }).status).toEqual({ kind: 'snapshot' })
    })

    it('a failure nobody mapped ends on the unavailable screen; a mapped one is kept', () => {
      const loading = noSession({ kind: 'loading' })
      expect(transition(loading, { type: 'load-failed' }).status).toEqual({
        kind: 'unavailable',
        reason: 'server',
      })
      const redirecting = noSession({ kind: 'redirecting', scope: 'snsapi_base' })
      expect(transition(redirecting, { type: 'load-failed' })).toBe(redirecting)
    })

    it('never loads behind a screen that waits for a tap, nor with a session', () => {
      for (const kind of ['cancelled', 'signed-out', 'open-in-wechat'] as const) {
        const state = noSession({ kind })
        expect(transition(state, { type: 'load' })).toBe(state)
      }
      const stopped = noSession({ kind: 'loop-stopped', reason: 'back-forward' })
      expect(transition(stopped, { type: 'load' })).toBe(stopped)
    })
  })

  describe('login', () => {
    it('an automatic login goes when the guard allows, and stops on the loop-stopped screen', () => {
      expect(transition(noSession({ kind: 'loading' }), auto(allowed)).status).toEqual({
        kind: 'redirecting',
        scope: 'snsapi_base',
      })
      const refused = auto({ allowed: false, reason: 'too-many-trips' })
      expect(transition(noSession({ kind: 'loading' }), refused).status).toEqual({
        kind: 'loop-stopped',
        reason: 'too-many-trips',
      })
    })

    it('one trip however many 401s ask for it', () => {
      const redirecting = noSession({ kind: 'redirecting', scope: 'snsapi_base' })
      expect(transition(redirecting, auto(allowed))).toBe(redirecting)
      const manual = {
        type: 'login',
        scope: 'snsapi_userinfo',
        manual: true,
        guard: allowed,
      } as const
      expect(transition(redirecting, manual)).toBe(redirecting)
    })

    it('a tap always goes: from any screen, past the guard, with its scope', () => {
      for (const status of [
        { kind: 'cancelled' },
        { kind: 'signed-out' },
        { kind: 'open-in-wechat' },
        { kind: 'loop-stopped', reason: 'too-many-trips' },
        { kind: 'idle', blockedBy: 'cancelled' },
      ] as const) {
        const next = transition(noSession(status), {
          type: 'login',
          scope: 'snsapi_userinfo',
          manual: true,
          guard: { allowed: false, reason: 'back-forward' },
        })
        expect(next.status).toEqual({ kind: 'redirecting', scope: 'snsapi_userinfo' })
      }
    })

    it('outside WeChat an automatic login never starts', () => {
      const state = noSession({ kind: 'open-in-wechat' })
      expect(transition(state, auto(allowed))).toBe(state)
    })

    it('after a cancel or a logout, an automatic login brings that screen back', () => {
      for (const by of ['cancelled', 'signed-out'] as const) {
        for (const status of [
          { kind: 'idle', blockedBy: by },
          { kind: 'loading', blockedBy: by },
          { kind: 'unavailable', reason: 'wechat', blockedBy: by },
        ] as const) {
          expect(transition(noSession(status), auto(allowed)).status).toEqual({ kind: by })
        }
        const screen = noSession({ kind: by })
        expect(transition(screen, auto(allowed))).toBe(screen)
      }
    })

    it('the unavailable screen stays on an automatic login, and goes on a tap', () => {
      const tap = { type: 'login', scope: 'snsapi_base', manual: true, guard: allowed } as const
      for (const reason of ['wechat', 'server', 'network', 'busy'] as const) {
        const screen = noSession({ kind: 'unavailable', reason })
        expect(transition(screen, auto(allowed))).toBe(screen)
        expect(transition(screen, tap).status).toEqual({
          kind: 'redirecting',
          scope: 'snsapi_base',
        })
      }
    })

    it('the authorize URL failing ends on the unavailable screen', () => {
      const redirecting = noSession({ kind: 'redirecting', scope: 'snsapi_base' })
      expect(transition(redirecting, { type: 'redirect-failed' }).status).toEqual({
        kind: 'unavailable',
        reason: 'server',
      })
      const other = noSession({ kind: 'unavailable', reason: 'network' })
      expect(transition(other, { type: 'redirect-failed' })).toBe(other)
    })
  })

  describe('failures', () => {
    it('maps unavailable, snapshot and upgrade to their statuses', () => {
      const ready = signedIn({ kind: 'ready' })
      const fail = (action: Parameters<typeof transition>[1] & { type: 'failure' }) =>
        transition(ready, action).status
      expect(fail({ type: 'failure', action: { type: 'unavailable', reason: 'busy' } })).toEqual({
        kind: 'unavailable',
        reason: 'busy',
      })
      expect(fail({ type: 'failure', action: { type: 'snapshot' } })).toEqual({ kind: 'snapshot' })
      expect(fail({ type: 'failure', action: { type: 'upgrade' } })).toEqual({ kind: 'upgrade' })
    })

    it('a screen that waits for a tap is not replaced by a later failure', () => {
      for (const kind of ['cancelled', 'signed-out', 'open-in-wechat'] as const) {
        const state = noSession({ kind })
        const next = transition(state, {
          type: 'failure',
          action: { type: 'unavailable', reason: 'wechat' },
        })
        expect(next).toBe(state)
      }
    })

    it('login actions are the store’s to turn into a login event', () => {
      const state = noSession({ kind: 'loading' })
      expect(transition(state, { type: 'failure', action: { type: 'login' } })).toBe(state)
      expect(transition(state, { type: 'failure', action: { type: 'fresh-login' } })).toBe(state)
    })

    it('the unavailable screen keeps a decline for after the retry', () => {
      const state = noSession({ kind: 'loading', blockedBy: 'cancelled' })
      const next = transition(state, {
        type: 'failure',
        action: { type: 'unavailable', reason: 'network' },
      })
      expect(next.status).toEqual({
        kind: 'unavailable',
        reason: 'network',
        blockedBy: 'cancelled',
      })
      expect(transition(next, { type: 'resume' }).status).toEqual({
        kind: 'idle',
        blockedBy: 'cancelled',
      })
    })
  })

  describe('profile needed (the upgrade screen for an intent)', () => {
    it('a signed-in page asks for the profile, worded for the intent', () => {
      expect(
        transition(signedIn({ kind: 'ready' }), { type: 'profile-needed', intent: 'join' }),
      ).toEqual(signedIn({ kind: 'upgrade', intent: 'join' }))
      expect(transition(signedIn({ kind: 'ready' }), { type: 'profile-needed' }).status).toEqual({
        kind: 'upgrade',
      })
      // a failed refresh names itself after the client already showed the screen
      const upgrade = signedIn({ kind: 'upgrade' })
      expect(transition(upgrade, { type: 'profile-needed', intent: 'refresh' }).status).toEqual({
        kind: 'upgrade',
        intent: 'refresh',
      })
    })

    it('a later SCOPE_UPGRADE_REQUIRED keeps the intent on the screen', () => {
      const state = signedIn({ kind: 'upgrade', intent: 'join' })
      expect(transition(state, { type: 'failure', action: { type: 'upgrade' } })).toBe(state)
    })

    it('never for a snapshot guest, without a session, or over a screen', () => {
      const snapshot = signedIn({ kind: 'snapshot' }, { ...session, snapshot: true })
      for (const state of [
        snapshot,
        noSession({ kind: 'idle' }),
        noSession({ kind: 'signed-out' }),
        signedIn({ kind: 'unavailable', reason: 'wechat' }),
      ]) {
        expect(transition(state, { type: 'profile-needed', intent: 'join' })).toBe(state)
      }
    })
  })

  describe('resume, refresh, sign-out, page restore', () => {
    it('resume leaves a screen for the page, or for idle without a session', () => {
      expect(transition(signedIn({ kind: 'upgrade' }), { type: 'resume' }).status).toEqual({
        kind: 'ready',
      })
      expect(transition(noSession({ kind: 'cancelled' }), { type: 'resume' }).status).toEqual({
        kind: 'idle',
        blockedBy: 'cancelled',
      })
      const snapshot = signedIn(
        { kind: 'unavailable', reason: 'wechat' },
        {
          ...session,
          snapshot: true,
        },
      )
      expect(transition(snapshot, { type: 'resume' }).status).toEqual({ kind: 'snapshot' })
    })

    it('refresh runs from ready only, and ends where it started with the fresh profile', () => {
      const refreshing = transition(signedIn({ kind: 'ready' }), { type: 'refresh' })
      expect(refreshing.status).toEqual({ kind: 'refreshing' })
      const fresh = { ...user, nickname: '新昵称' }
      expect(transition(refreshing, { type: 'refreshed', user: fresh })).toEqual({
        status: { kind: 'ready' },
        user: fresh,
        session,
      })
      expect(transition(refreshing, { type: 'refreshed', user: null }).user).toBe(user)
      const upgrade = signedIn({ kind: 'upgrade' })
      expect(transition(upgrade, { type: 'refresh' })).toBe(upgrade)
      // the refresh failed onto a screen: it stays up, the profile is unchanged
      expect(transition(upgrade, { type: 'refreshed', user: null })).toBe(upgrade)
    })

    it('sign-out forgets the user and the session', () => {
      expect(transition(signedIn({ kind: 'ready' }), { type: 'signed-out' })).toEqual({
        status: { kind: 'signed-out' },
        user: null,
        session: null,
      })
    })

    it('a page restored while leaving for WeChat settles instead of waiting forever', () => {
      const redirecting = noSession({ kind: 'redirecting', scope: 'snsapi_base' })
      expect(transition(redirecting, { type: 'page-restored' }).status).toEqual({ kind: 'idle' })
    })
  })
})

describe('status predicates', () => {
  it('screens, and which of them wait for a tap', () => {
    expect(screenOf({ kind: 'upgrade' })).toBe('upgrade')
    expect(screenOf({ kind: 'ready' })).toBeNull()
    expect(screenOf({ kind: 'snapshot' })).toBeNull() // a banner above the page, not a screen
    expect(waitsForTap({ kind: 'upgrade' })).toBe(false)
    expect(waitsForTap({ kind: 'unavailable', reason: 'wechat' })).toBe(false)
    expect(waitsForTap({ kind: 'loop-stopped', reason: 'back-forward' })).toBe(true)
    expect(blockedByOf({ kind: 'signed-out' })).toBe('signed-out')
    expect(blockedByOf({ kind: 'ready' })).toBeUndefined()
  })
})
