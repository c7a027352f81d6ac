import type { FastifyBaseLogger } from 'fastify'
import { describe, expect, it } from 'vitest'
import { WechatApiError, WechatUnavailableError, errcodeKind } from '@wxauth/wechat'
import { ApiError } from '../../src/errors/api-error.js'
import { errorBody, logFailure, toApiError } from '../../src/errors/error-handler.js'
import { configHint } from '../../src/errors/wechat-errors.js'

/** What the error handler does with anything thrown: log what deserves it, answer the contract body. */
function toErrorBody(error: unknown, log: FastifyBaseLogger) {
  logFailure(error, log)
  return errorBody(toApiError(error))
}

function fakeLogger() {
  const lines: Array<{ level: string; obj: unknown; msg: string }> = []
  const at =
    (level: string) =>
    (obj: unknown, msg = '') =>
      lines.push({ level, obj, msg })
  const log = {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: () => log,
  } as unknown as FastifyBaseLogger
  return { log, lines }
}

function apiError(errcode: number): WechatApiError {
  return new WechatApiError('sns/oauth2/access_token', errcode, 'msg', errcodeKind(errcode))
}

describe('toErrorBody', () => {
  it('sends an ApiError as it is', () => {
    const { log } = fakeLogger()
    expect(toErrorBody(new ApiError('SNAPSHOT_USER', 'no'), log)).toEqual({
      statusCode: 403,
      code: 'SNAPSHOT_USER',
      message: 'no',
    })
  })

  it.each([
    [40029, 401, 'CODE_INVALID'],
    [42003, 401, 'CODE_INVALID'],
    [41008, 401, 'CODE_INVALID'],
    [40163, 401, 'CODE_USED'],
    [40030, 401, 'REAUTH_REQUIRED'],
    [42002, 401, 'REAUTH_REQUIRED'],
    [42007, 401, 'REAUTH_REQUIRED'],
    [48001, 403, 'SCOPE_UPGRADE_REQUIRED'],
    [40013, 500, 'WECHAT_CONFIG_ERROR'],
    [40125, 500, 'WECHAT_CONFIG_ERROR'],
    [40164, 500, 'WECHAT_CONFIG_ERROR'],
    [-1, 503, 'WECHAT_UNAVAILABLE'],
    [45011, 503, 'WECHAT_UNAVAILABLE'],
    [40003, 503, 'WECHAT_UNAVAILABLE'],
  ])('maps errcode %d to %d %s', (errcode, status, code) => {
    const { log, lines } = fakeLogger()
    const body = toErrorBody(apiError(errcode), log)
    expect(body).toMatchObject({ statusCode: status, code })
    expect(body.message).not.toContain('msg')
    expect(lines[0]?.level).toBe(code === 'WECHAT_CONFIG_ERROR' ? 'error' : 'warn')
    const hint = configHint(errcode)
    expect(lines[0]?.obj).toEqual({
      wechat: {
        endpoint: 'sns/oauth2/access_token',
        kind: errcodeKind(errcode),
        errcode,
        ...(hint === null ? {} : { hint }),
      },
    })
  })

  it.each([
    [40164, /IP whitelist/],
    [61004, /IP whitelist/],
    [89503, /IP whitelist/],
    [40013, /WECHAT_APPID/],
    [41002, /WECHAT_APPID/],
    [40125, /WECHAT_SECRET/],
    [41004, /WECHAT_SECRET/],
    [40243, /WECHAT_SECRET/],
    [43003, /WECHAT_API_BASE/],
  ])('config errcode %d → WECHAT_CONFIG_ERROR whose message says what to fix', (errcode, hint) => {
    const { log, lines } = fakeLogger()
    const body = toErrorBody(apiError(errcode), log)
    expect(body.code).toBe('WECHAT_CONFIG_ERROR')
    expect(body.message).toMatch(hint)
    expect(body.message).toContain(`errcode ${errcode}`)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      level: 'error',
      obj: { wechat: { hint: body.message.split(': ').slice(1).join(': ') } },
    })
  })

  it('a config errcode without a specific hint still names the errcode', () => {
    const { log } = fakeLogger()
    const body = toErrorBody(apiError(40002), log)
    expect(body).toEqual({
      statusCode: 500,
      code: 'WECHAT_CONFIG_ERROR',
      message: 'The WeChat app is misconfigured on the server (errcode 40002)',
    })
    expect(configHint(40002)).toBeNull()
    expect(configHint(undefined)).toBeNull()
  })

  it.each(['timeout', 'network', 'http-status', 'garbage'] as const)(
    'maps an unavailable WeChat (%s) to 503',
    (reason) => {
      const { log } = fakeLogger()
      const body = toErrorBody(new WechatUnavailableError('sns/userinfo', reason, 'x', 502), log)
      expect(body).toMatchObject({ statusCode: 503, code: 'WECHAT_UNAVAILABLE' })
    },
  )

  it('maps Fastify client errors to 400 VALIDATION_ERROR and 404/415/429 to theirs', () => {
    const { log } = fakeLogger()
    const err = (statusCode: number) => Object.assign(new Error('bad'), { statusCode })
    expect(toErrorBody(err(415), log)).toMatchObject({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    })
    expect(toErrorBody(err(413), log)).toMatchObject({ statusCode: 400, code: 'VALIDATION_ERROR' })
    expect(toErrorBody(err(404), log)).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' })
    expect(toErrorBody(err(429), log)).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' })
  })

  it('keeps unexpected errors generic and logs them', () => {
    const { log, lines } = fakeLogger()
    const body = toErrorBody(new TypeError('internal detail at /srv/app/x.js'), log)
    expect(body).toEqual({
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: 'Internal server error',
    })
    expect(lines[0]?.level).toBe('error')
  })

  it('maps a busy or unreadable SQLite file to 503 SERVICE_UNAVAILABLE', () => {
    const { log } = fakeLogger()
    const error = Object.assign(new Error('database is locked'), {
      name: 'SqliteError',
      code: 'SQLITE_BUSY',
    })
    expect(toErrorBody(error, log)).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' })
  })

  it('keeps a PostgreSQL or Redis socket error (ECONNRESET with no HTTP status) an outage, loudly', () => {
    const { log, lines } = fakeLogger()
    const error = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
    expect(toErrorBody(error, log)).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' })
    expect(lines).toMatchObject([{ level: 'error', msg: 'store unavailable' }])
  })

  it('makes a client that hung up mid-body a 400 logged at info, not a store outage', () => {
    for (const error of [
      // node:_http_server destroys the request stream with this when the socket closes early
      Object.assign(new Error('aborted'), { code: 'ECONNRESET' }),
      // Fastify's body parser passes a stream error on with a 4xx status
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', statusCode: 400 }),
    ]) {
      const { log, lines } = fakeLogger()
      expect(toErrorBody(error, log)).toMatchObject({ statusCode: 400, code: 'VALIDATION_ERROR' })
      expect(lines).toMatchObject([{ level: 'info', msg: 'client hung up mid-request' }])
    }
  })
})
