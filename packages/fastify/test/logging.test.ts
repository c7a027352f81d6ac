import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger, safeUrl } from '../src/logging.js'
import { codeLogHash } from '../src/util/ids.js'
import { build, type TestContext } from './helper.js'

let ctx: TestContext
beforeAll(async () => {
  ctx = await build()
})
afterAll(async () => {
  await ctx?.close()
})

describe('safeUrl', () => {
  it('blanks the values of code, state, tokens and secrets, keeps the rest', () => {
    expect(safeUrl('/cb?code=071Cy&state=abc&tab=2')).toBe(
      '/cb?code=[redacted]&state=[redacted]&tab=2',
    )
    expect(safeUrl('/x?access_token=a&refresh_token=b&secret=c&%63ode=d')).toBe(
      '/x?access_token=[redacted]&refresh_token=[redacted]&secret=[redacted]&%63ode=[redacted]',
    )
    expect(safeUrl('/plain')).toBe('/plain')
    expect(safeUrl('/x?flag&tab=2')).toBe('/x?flag&tab=2')
    expect(safeUrl('/bad?%E0%A4%A=1')).toBe('/bad?%E0%A4%A=1')
  })

  it('blanks code and state inside a URL passed as a query value (the JS-SDK entry URL)', () => {
    const entry = 'http://127.0.0.1:5173/?code=071CyW000UGidO1SxY000uNATs1CyW04&state=Zq3x&tab=1'
    const url = `/api/jssdk/config?url=${encodeURIComponent(entry)}`
    const safe = safeUrl(url)
    expect(safe).toBe(
      '/api/jssdk/config?url=http%3A%2F%2F127.0.0.1%3A5173%2F%3Fcode%3D[redacted]%26state%3D[redacted]%26tab%3D1',
    )
    expect(safe).not.toContain('071CyW000UGidO1SxY000uNATs1CyW04')
    expect(safe).not.toContain('Zq3x')
    // also after a fragment, and with a clean URL nothing changes
    const hashed = `/api/jssdk/config?url=${encodeURIComponent('http://h/?a=1#/me?code=SECRETCODE')}`
    expect(safeUrl(hashed)).not.toContain('SECRETCODE')
    const clean = `/api/jssdk/config?url=${encodeURIComponent('http://127.0.0.1:5173/me?tab=1')}`
    expect(safeUrl(clean)).toBe(clean)
  })
})

describe('redaction', () => {
  it('censors secrets, tokens, codes and cookie headers wherever a log call puts them', () => {
    const lines: string[] = []
    const log = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _e, done) {
          lines.push(chunk.toString())
          done()
        },
      }),
    )
    log.info({
      secret: 's1',
      access_token: 't1',
      nested: { refresh_token: 't2', code: 'c1', ticket: 'k1' },
      req: {
        headers: { cookie: 'wxauth_sid=x', 'x-wechat-code': 'c2', authorization: 'Bearer z' },
      },
      fine: 'visible',
    })
    const text = lines.join('')
    for (const leaked of ['s1', 't1', 't2', 'c1', 'k1', 'wxauth_sid=x', 'c2', 'Bearer z']) {
      expect(text).not.toContain(`"${leaked}"`)
    }
    expect(text).toContain('visible')
  })
})

describe('request and WeChat call logs', () => {
  it('writes one line per request, and WeChat calls with endpoint, duration and errcode', async () => {
    const { browser, code } = await ctx.login('alice')
    const before = ctx.logs.length
    await browser.get('/api/me?tab=1')
    const lines = ctx.logs.slice(before)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      msg: 'request',
      method: 'GET',
      url: '/api/me?tab=1',
      statusCode: 200,
    })
    expect(typeof lines[0]!.durationMs).toBe('number')

    const calls = ctx.logs.filter((l) => l.msg === 'wechat call')
    expect(calls.map((l) => l.endpoint)).toEqual(
      expect.arrayContaining(['sns/oauth2/access_token', 'sns/userinfo']),
    )
    expect(calls[0]).toMatchObject({ ok: true, attempt: 1, durationMs: expect.any(Number) })

    const exchanged = ctx.logs.find((l) => l.msg === 'code exchanged')
    expect(exchanged).toMatchObject({ codeHash: codeLogHash(code) })
    expect(JSON.stringify(ctx.logs)).not.toContain(code)
  })

  it('logs a failed WeChat call with its errcode', async () => {
    await ctx.control('fail', {
      endpoint: 'sns/oauth2/access_token',
      mode: 'errcode',
      errcode: 40029,
    })
    const browser = ctx.browser()
    const { url } = await ctx.startLogin(browser)
    const { code, state } = await ctx.authorize(url)
    await browser.get('/api/me', { 'x-wechat-code': code, 'x-wechat-state': state })
    const failed = ctx.logs.find((l) => l.msg === 'wechat call failed')
    expect(failed).toMatchObject({ endpoint: 'sns/oauth2/access_token', errcode: 40029, ok: false })
    const warned = ctx.logs.find((l) => l.msg === 'WeChat call failed')
    expect(warned).toMatchObject({
      codeHash: codeLogHash(code),
      wechat: { errcode: 40029, kind: 'code-invalid' },
    })
  })
})
