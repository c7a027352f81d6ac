import { describe, expect, it } from 'vitest'
import Value from 'typebox/value'
import {
  ERROR_CODES,
  ERROR_MESSAGES,
  ERROR_STATUS,
  isErrorBody,
  isErrorCode,
  type ErrorBody,
} from '../src/index.js'
import {
  ErrorBodySchema,
  ErrorCodeSchema,
  JssdkConfigQuerySchema,
  JssdkConfigResponseSchema,
  MeResponseSchema,
  SubscriptionResponseSchema,
  type ErrorBodyStatic,
} from '../src/schemas/index.js'

describe('error contract', () => {
  it('maps every code to the status of the error contract (docs/architecture.md#errors)', () => {
    expect(ERROR_STATUS).toMatchObject({
      AUTH_REQUIRED: 401,
      REAUTH_REQUIRED: 401,
      CODE_INVALID: 401,
      CODE_USED: 401,
      STATE_MISMATCH: 403,
      SCOPE_UPGRADE_REQUIRED: 403,
      SNAPSHOT_USER: 403,
      VALIDATION_ERROR: 400,
      RATE_LIMITED: 429,
      WECHAT_UNAVAILABLE: 503,
      WECHAT_CONFIG_ERROR: 500,
    })
    expect(ERROR_CODES).toContain('STATE_MISMATCH')
  })

  it('has one message for every code, and no message names a token or a secret', () => {
    expect(Object.keys(ERROR_MESSAGES).sort()).toEqual([...ERROR_CODES].sort())
    for (const message of Object.values(ERROR_MESSAGES)) {
      expect(message.length).toBeGreaterThan(0)
      expect(message).not.toMatch(/token|secret/i)
    }
  })

  it('gives the schema and the schema-free ErrorBody interface the same static type', () => {
    const fromSchema: ErrorBodyStatic = { statusCode: 401, code: 'AUTH_REQUIRED', message: 'x' }
    const plain: ErrorBody = fromSchema
    const back: ErrorBodyStatic = plain
    expect(back).toBe(fromSchema)
  })

  it('recognises error bodies and nothing else', () => {
    const body = { statusCode: 401, code: 'AUTH_REQUIRED', message: '请先登录' }
    expect(isErrorBody(body)).toBe(true)
    expect(Value.Check(ErrorBodySchema, body)).toBe(true)
    expect(isErrorBody({ statusCode: 401, code: 'NOPE', message: '' })).toBe(false)
    expect(isErrorBody(null)).toBe(false)
    expect(isErrorBody('AUTH_REQUIRED')).toBe(false)
  })

  it('takes only the contract codes, not what every object inherits', () => {
    for (const code of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(isErrorCode(code)).toBe(false)
      expect(isErrorBody({ statusCode: 500, code, message: '' })).toBe(false)
    }
    expect(isErrorCode('CODE_USED')).toBe(true)
    expect(isErrorCode(401)).toBe(false)
  })
})

describe('MeResponseSchema', () => {
  it('allows a session without a stored profile', () => {
    const me = {
      user: null,
      session: { scope: 'snsapi_base', snapshot: false, expiresAt: '2026-11-21T10:00:00.000Z' },
    }
    expect(Value.Check(MeResponseSchema, me)).toBe(true)
  })
})

describe('ErrorCodeSchema', () => {
  it('accepts every listed code and nothing else', () => {
    for (const code of ERROR_CODES) expect(Value.Check(ErrorCodeSchema, code)).toBe(true)
    expect(Value.Check(ErrorCodeSchema, 'NOPE')).toBe(false)
    const typed: ErrorBody['code'] = 'AUTH_REQUIRED' // compile-time: the union is not widened
    expect(typed).toBe('AUTH_REQUIRED')
  })
})

describe('SubscriptionResponseSchema', () => {
  it('accepts a follower with time and scene, and a non-follower with a QR image', () => {
    const follower = {
      subscribed: true,
      subscribeTime: '2023-03-01T06:08:35.000Z',
      subscribeScene: 'ADD_SCENE_SEARCH',
    }
    expect(Value.Check(SubscriptionResponseSchema, follower)).toBe(true)
    const other = { subscribed: false, qrCodeUrl: 'https://h5.example.com/qr.jpg' }
    expect(Value.Check(SubscriptionResponseSchema, other)).toBe(true)
    expect(Value.Check(SubscriptionResponseSchema, { subscribed: false })).toBe(true)
  })

  it('rejects a missing flag and a subscribe time that is not an ISO date-time', () => {
    expect(Value.Check(SubscriptionResponseSchema, {})).toBe(false)
    expect(Value.Check(SubscriptionResponseSchema, { subscribed: 1 })).toBe(false)
    const unix = { subscribed: true, subscribeTime: '1677650915' }
    expect(Value.Check(SubscriptionResponseSchema, unix)).toBe(false)
  })
})

describe('JssdkConfigQuerySchema', () => {
  it('bounds the url to 1..2048 characters', () => {
    expect(Value.Check(JssdkConfigQuerySchema, { url: 'https://h5.example.com/' })).toBe(true)
    expect(Value.Check(JssdkConfigQuerySchema, { url: '' })).toBe(false)
    const long = `https://h5.example.com/?q=${'x'.repeat(2048)}`
    expect(Value.Check(JssdkConfigQuerySchema, { url: long })).toBe(false)
  })
})

describe('JssdkConfigResponseSchema', () => {
  it('wants an integer unix timestamp and the three strings wx.config takes', () => {
    const config = {
      appId: 'wx5f3c1a9e2b7d4f60',
      timestamp: 1414587457,
      nonceStr: 'Wm3WZYTPz0wzccnW',
      signature: '0f9de62fce790f9a083d5c99e95740ceb90c27ed',
    }
    expect(Value.Check(JssdkConfigResponseSchema, config)).toBe(true)
    expect(Value.Check(JssdkConfigResponseSchema, { ...config, timestamp: 1414587457.5 })).toBe(
      false,
    )
    const { signature: _signature, ...unsigned } = config
    expect(Value.Check(JssdkConfigResponseSchema, unsigned)).toBe(false)
  })
})
