import { createHash } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_APP } from '@wxauth/mock-wechat'
import { PUBLIC_URL, build, leakLedger, type TestContext } from '../helper.js'

const TICKET = 'cgi-bin/ticket/getticket'
const STABLE_TOKEN = 'cgi-bin/stable_token'

let ctx: TestContext
beforeAll(async () => {
  ctx = await build()
})
afterAll(async () => {
  await ctx?.close()
})
beforeEach(async () => {
  // A fresh simulator state and a fresh app: the client's cached token and ticket go too.
  await ctx.control('reset')
  await ctx.restart()
})

const config = (url: string, headers?: Record<string, string>) =>
  ctx.browser().get(`/api/jssdk/config?url=${encodeURIComponent(url)}`, headers)

/**
 * The jsapi_ticket, fetched from the simulator by the test itself: stable_token in normal mode
 * returns the token the BFF holds, and the simulator keeps one ticket per app until it expires.
 * Plain `fetch`: the leak ledger must learn the ticket from the BFF's own calls.
 */
async function simulatorTicket(): Promise<string> {
  const tokenResponse = await fetch(`${ctx.mockUrl}/cgi-bin/stable_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credential',
      appid: DEFAULT_APP.appid,
      secret: DEFAULT_APP.secret,
      force_refresh: false,
    }),
  })
  const { access_token } = (await tokenResponse.json()) as { access_token: string }
  const ticketResponse = await fetch(
    `${ctx.mockUrl}/cgi-bin/ticket/getticket?access_token=${access_token}&type=jsapi`,
  )
  const { ticket } = (await ticketResponse.json()) as { ticket: string }
  return ticket
}

/** WeChat's algorithm, written out independently of @wxauth/wechat (附录1). */
function sha1Signature(ticket: string, nonceStr: string, timestamp: number, url: string): string {
  const plain = `jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`
  return createHash('sha1').update(plain).digest('hex')
}

describe('GET /api/jssdk/config', () => {
  it('signs the page URL with the jsapi_ticket: an independent sha1 agrees', async () => {
    const url = `${PUBLIC_URL}/?r=%2Fme&from=timeline`
    const before = Math.floor(Date.now() / 1000)
    const response = await config(url)
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json<{
      appId: string
      timestamp: number
      nonceStr: string
      signature: string
    }>()
    expect(Object.keys(body).sort()).toEqual(['appId', 'nonceStr', 'signature', 'timestamp'])
    expect(body.appId).toBe(DEFAULT_APP.appid)
    expect(body.timestamp).toBeGreaterThanOrEqual(before)
    expect(body.timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000))
    expect(body.nonceStr).toMatch(/^[A-Za-z0-9]{16}$/)
    expect(body.signature).toMatch(/^[0-9a-f]{40}$/)
    expect(response.headers['cache-control']).toBe('no-store')

    const ticket = await simulatorTicket()
    expect(body.signature).toBe(sha1Signature(ticket, body.nonceStr, body.timestamp, url))
    expect(response.body).not.toContain(ticket)
    // The suite-wide leak scan knows the ticket the BFF received: no body or log line may carry it.
    expect(leakLedger().tokens.has(ticket)).toBe(true)
  })

  it('needs no session, and ignores a login code sent along', async () => {
    const response = await config(`${PUBLIC_URL}/`, {
      'x-wechat-code': '071CyW000UGidO1SxY000uNATs1CyW04',
      'x-wechat-state': 'Zq3xY9bK2mP7vR1tW5sN8dF4gH6jL0aC',
    })
    expect(response.statusCode).toBe(200)
    expect(response.headers['set-cookie']).toBeUndefined()
    expect(await ctx.counts()).not.toHaveProperty('sns/oauth2/access_token')
  })

  it('signs the iOS entry URL exactly as given, code and state included, and never logs them', async () => {
    const code = '061AbC000xYzQw1RtU000pLmNo2AbC0z'
    const url = `${PUBLIC_URL}/me?code=${code}&state=Zq3xY9bK2mP7vR1tW5sN8dF4gH6jL0aC`
    const before = ctx.logs.length
    const response = await config(url)
    expect(response.statusCode).toBe(200)
    const { nonceStr, timestamp, signature } = response.json()
    expect(signature).toBe(sha1Signature(await simulatorTicket(), nonceStr, timestamp, url))
    const lines = JSON.stringify(ctx.logs.slice(before))
    expect(lines).not.toContain(code)
    expect(lines).not.toContain('Zq3xY9bK2mP7vR1tW5sN8dF4gH6jL0aC')
  })

  it('fetches the ticket once and reuses it: fresh nonce and signature per call', async () => {
    const url = `${PUBLIC_URL}/`
    const [a, b] = [await config(url), await config(url)]
    expect(a.json().nonceStr).not.toBe(b.json().nonceStr)
    expect(a.json().signature).not.toBe(b.json().signature)
    expect(await ctx.counts()).toMatchObject({ [STABLE_TOKEN]: 1, [TICKET]: 1 })
  })

  it.each([
    [
      'a foreign origin',
      'https://evil.example.com/',
      /must be a page of http:\/\/127\.0\.0\.1:5173/,
    ],
    ['another port', 'http://127.0.0.1:3000/', /must be a page of/],
    ['a #fragment', `${PUBLIC_URL}/#/me`, /#fragment/],
    ['an empty #fragment', `${PUBLIC_URL}/me#`, /#fragment/],
    ['a relative URL', '/me', /absolute http\(s\) URL/],
    ['a javascript: URL', 'javascript:alert(1)', /absolute http\(s\) URL/],
    ['credentials', 'http://u:p@127.0.0.1:5173/', /credentials/],
    ['a space', `${PUBLIC_URL}/a b`, /printable ASCII/],
    ['an unnormalised URL', 'HTTP://127.0.0.1:5173/', /exactly as the browser/],
  ])('refuses %s with 400 VALIDATION_ERROR saying why, and calls nobody', async (_, url, why) => {
    const response = await config(url)
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({
      statusCode: 400,
      code: 'VALIDATION_ERROR',
      message: expect.stringMatching(why),
    })
    expect(await ctx.counts()).toEqual({})
  })

  it('refuses a missing, empty, doubled or over-long url with 400', async () => {
    const long = `${PUBLIC_URL}/?q=${'x'.repeat(2048)}`
    for (const path of [
      '/api/jssdk/config',
      '/api/jssdk/config?url=',
      `/api/jssdk/config?url=${encodeURIComponent(PUBLIC_URL + '/')}&url=${encodeURIComponent(PUBLIC_URL + '/me')}`,
      `/api/jssdk/config?url=${encodeURIComponent(long)}`,
    ]) {
      const response = await ctx.browser().get(path)
      expect(response.statusCode, path).toBe(400)
      expect(response.json().code).toBe('VALIDATION_ERROR')
    }
    expect(await ctx.counts()).toEqual({})
  })

  it('answers 503 WECHAT_UNAVAILABLE when getticket keeps failing, then recovers', async () => {
    await ctx.control('fail', { endpoint: TICKET, mode: 'http500', times: 3 })
    const down = await config(`${PUBLIC_URL}/`)
    expect(down.statusCode).toBe(503)
    expect(down.json().code).toBe('WECHAT_UNAVAILABLE')
    const up = await config(`${PUBLIC_URL}/`)
    expect(up.statusCode).toBe(200)
  })

  it('is described in the OpenAPI spec under the jssdk tag', async () => {
    const spec = (await ctx.app.inject('/docs/json')).json()
    const operation = spec.paths['/api/jssdk/config'].get
    expect(operation.tags).toEqual(['jssdk'])
    expect(operation.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'url', in: 'query' })]),
    )
    expect(spec.paths['/api/me/subscription'].get.tags).toEqual(['me'])
  })
})
