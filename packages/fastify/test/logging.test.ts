import { connect } from 'node:net'
import { Writable } from 'node:stream'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_LOGGED_URL, UNLOGGABLE, createLogger, safeUrl } from '../src/logging.js'
import { codeLogHash } from '../src/util/ids.js'
import { HOSTILE_BITS } from './fuzz/hostile-requests.js'
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

/** The request of issue #12: 1,800 `=?` after `/healthz?` (3.6 KB, under nginx's line limit). */
const CRASHING_URL = `/healthz?${'=?'.repeat(1800)}`
/** Longest output: the cap plus the marker. */
const MAX_OUTPUT = MAX_LOGGED_URL + 64

describe('safeUrl on hostile input', () => {
  it('survives the request that used to overflow the stack, and bounds what it logs', () => {
    const safe = safeUrl(CRASHING_URL)
    expect(safe.startsWith('/healthz?')).toBe(true)
    expect(safe.length).toBeLessThanOrEqual(MAX_OUTPUT)
    expect(safe).toContain('characters in all]')
  })

  it('cuts a long URL but still redacts the sensitive value the cut runs through', () => {
    const code = 'A'.repeat(4000)
    const safe = safeUrl(`/cb?tab=1&code=${code}`)
    expect(safe).toBe(`/cb?tab=1&code=[redacted]…[cut: ${4015} characters in all]`)
    const nested = safeUrl(
      `/api/jssdk/config?url=${'x'.repeat(2000)}${encodeURIComponent('?code=0123456789ABCDEF')}`,
    )
    expect(nested).not.toContain('0123')
  })

  it('redacts a sensitive value nested deeper than one level, or encoded twice', () => {
    const deep = `http://h/?next=${encodeURIComponent('http://i/?code=DEEPSECRET1')}`
    expect(safeUrl(`/x?url=${encodeURIComponent(deep)}`)).not.toContain('DEEPSECRET1')
    const twice = encodeURIComponent(encodeURIComponent('http://h/?state=TWICESECRET'))
    expect(safeUrl(`/x?url=${twice}`)).not.toContain('TWICESECRET')
    expect(safeUrl('/x?next=/cb?code=RAWNESTED')).not.toContain('RAWNESTED')
  })

  it('is a placeholder, never a throw, for what is not a string', () => {
    expect(safeUrl(undefined as unknown as string)).toBe(UNLOGGABLE)
    expect(safeUrl({} as unknown as string)).toBe(UNLOGGABLE)
  })

  /** URLs built from the characters redaction cares about, so the generator hits the edge cases. */
  const hostileUrl = fc
    // The fuzz suite's bits, and a lone surrogate (not valid UTF-16 on its own).
    .array(fc.constantFrom(...HOSTILE_BITS, '\ud83d'), { maxLength: 3000 })
    .map((parts) => `/p?${parts.join('')}`)

  it('never throws and never logs more than the cap, on generated hostile URLs', () => {
    fc.assert(
      fc.property(hostileUrl, (url) => {
        const safe = safeUrl(url)
        expect(typeof safe).toBe('string')
        expect(safe.length).toBeLessThanOrEqual(MAX_OUTPUT)
      }),
      { numRuns: 500, seed: 12 },
    )
  })

  it('never lets a planted code through, however it is nested or encoded', () => {
    const encodings = fc.constantFrom(
      (s: string) => s,
      (s: string) => encodeURIComponent(s),
      (s: string) => encodeURIComponent(encodeURIComponent(s)),
    )
    fc.assert(
      fc.property(
        fc.constantFrom('code', 'state', 'access_token', 'CODE', 'Ticket'),
        encodings,
        fc.array(fc.constantFrom('tab=1', 'a', 'x=%E0%A4', '#/me'), { maxLength: 5 }),
        (key, encode, noise) => {
          const secret = 'PLANTED0SECRET0VALUE'
          const inner = `http://h/${noise.join('&')}?${noise.join('&')}&${key}=${secret}`
          for (const url of [
            `/cb?${key}=${secret}`,
            `/cb?u=${encode(inner)}`,
            `/cb?${noise.join('&')}&u=${encode(inner)}`,
          ]) {
            expect(safeUrl(url)).not.toContain(secret)
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    )
  })

  it('costs the same on 1 MB as on the 8 KB it keeps (bounded, so linear at worst)', () => {
    const timeOf = (url: string) => {
      const began = performance.now()
      for (let i = 0; i < 20; i++) safeUrl(url)
      return (performance.now() - began) / 20
    }
    timeOf(CRASHING_URL) // warm up
    const small = `/healthz?${'=?'.repeat(4_000)}`
    const huge = `/healthz?${'=?'.repeat(500_000)}`
    const [smallMs, hugeMs] = [timeOf(small), timeOf(huge)]
    // Generous for a shared machine: without the cap, 125× the input would cost ≥ 125× the time.
    expect(hugeMs).toBeLessThan(Math.max(smallMs * 10, 5))
  })
})

describe('the crashing request over real HTTP', () => {
  it('is answered, logged, and the server goes on answering', async () => {
    const app = ctx.app
    const address = await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = new URL(address)
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1')
      let out = ''
      socket.on('data', (d) => (out += d))
      socket.on('end', () => resolve(out))
      socket.on('error', reject)
      socket.write(`GET ${CRASHING_URL} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)
    })
    expect(raw.split('\r\n')[0]).toBe('HTTP/1.1 200 OK')
    // The request line is written after the response (where the old redaction threw).
    await expect
      .poll(() => ctx.logs.find((l) => l.msg === 'request' && /^\/healthz\?=/.test(String(l.url))))
      .toMatchObject({ statusCode: 200 })
    const line = ctx.logs.find((l) => l.msg === 'request' && /^\/healthz\?=/.test(String(l.url)))
    expect(String(line?.url).length).toBeLessThanOrEqual(MAX_OUTPUT)
    expect((await fetch(`${address}/healthz`)).status).toBe(200)
  })
})

describe('serializers that meet a hostile value', () => {
  it('log a placeholder instead of throwing', () => {
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
    const hostile = {
      get url(): string {
        throw new Error('no url for you')
      },
    }
    const badError = Object.defineProperty(new Error('x'), 'code', {
      get() {
        throw new Error('no code')
      },
    })
    expect(() => log.info({ req: hostile, err: badError }, 'still logged')).not.toThrow()
    const line = JSON.parse(lines.join('')) as Record<string, unknown>
    expect(line).toMatchObject({ req: UNLOGGABLE, err: UNLOGGABLE, msg: 'still logged' })
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
