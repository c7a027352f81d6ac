import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from '@wxauth/shared'
import { actionForFailure, contractCodeOf } from './error-actions.js'

const http = (code: (typeof ERROR_CODES)[number] | null, status = 401) =>
  actionForFailure({ kind: 'http', status, code })

describe('actionForFailure', () => {
  it('AUTH_REQUIRED starts a login', () => {
    expect(http('AUTH_REQUIRED')).toEqual({ type: 'login' })
  })

  it.each(['CODE_INVALID', 'CODE_USED', 'STATE_MISMATCH', 'REAUTH_REQUIRED'] as const)(
    '%s drops the code and starts a fresh login',
    (code) => {
      expect(http(code)).toEqual({ type: 'fresh-login' })
    },
  )

  it('WECHAT_UNAVAILABLE and network errors show the unavailable screen', () => {
    expect(http('WECHAT_UNAVAILABLE', 503)).toEqual({ type: 'unavailable', reason: 'wechat' })
    expect(actionForFailure({ kind: 'network' })).toEqual({
      type: 'unavailable',
      reason: 'network',
    })
  })

  it('SNAPSHOT_USER and SCOPE_UPGRADE_REQUIRED have their own screens', () => {
    expect(http('SNAPSHOT_USER', 403)).toEqual({ type: 'snapshot' })
    expect(http('SCOPE_UPGRADE_REQUIRED', 403)).toEqual({ type: 'upgrade' })
  })

  it('server faults never leave the user stuck', () => {
    for (const code of ['WECHAT_CONFIG_ERROR', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE'] as const) {
      expect(http(code, 500).type).toBe('unavailable')
    }
    expect(http('RATE_LIMITED', 429)).toEqual({ type: 'unavailable', reason: 'busy' })
    expect(http(null, 502)).toEqual({ type: 'unavailable', reason: 'server' })
  })

  it('every contract code has an action', () => {
    for (const code of ERROR_CODES) expect(http(code).type).toBeTypeOf('string')
  })

  it('validation and not-found stay with the caller', () => {
    expect(http('VALIDATION_ERROR', 400)).toEqual({ type: 'none' })
    expect(http('NOT_FOUND', 404)).toEqual({ type: 'none' })
    expect(http(null, 404)).toEqual({ type: 'none' })
  })
})

describe('contractCodeOf', () => {
  it('reads every contract code off an error body', () => {
    for (const code of ERROR_CODES) {
      expect(contractCodeOf({ statusCode: 400, code, message: '' })).toBe(code)
    }
  })

  it('is null for anything else, inherited keys included', () => {
    for (const body of [
      null,
      'AUTH_REQUIRED',
      { code: 'NOPE' },
      { code: 401 },
      { code: 'constructor' },
      { code: 'toString' },
      { message: 'no code' },
    ]) {
      expect(contractCodeOf(body)).toBeNull()
    }
  })
})
