/**
 * The leak scan itself. Every BFF test file imports ./helper.ts, which checks after all its tests
 * that no captured log line and no response body or header contains the AppSecret, the cookie
 * secret, or any access_token / refresh_token WeChat handed the BFF (collected from the BFF's own
 * fetch), nor any code in a log line, nor any code or openid in a metrics scrape. These tests
 * prove that scan sees real tokens and openids and can fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  assertNoLeaks,
  build,
  findLeaks,
  leakLedger,
  recordScrape,
  type TestContext,
} from './helper.js'

let ctx: TestContext
beforeAll(async () => {
  ctx = await build()
})
afterAll(async () => {
  await ctx?.close()
})

describe('the suite-wide leak scan', () => {
  it('collects the real web tokens the BFF received, and finds them when planted', async () => {
    const { browser } = await ctx.login('alice')
    await ctx.control('clock', { advanceSeconds: 7201 })
    expect((await browser.post('/api/me/refresh')).statusCode).toBe(200)
    const { tokens, secrets, codes } = leakLedger()
    expect(tokens.size).toBeGreaterThanOrEqual(3) // access + refresh at login, a new access on refresh
    expect(codes.size).toBeGreaterThanOrEqual(1)
    const [token] = [...tokens]
    const [secret] = [...secrets]
    expect(findLeaks(`{"x":"${token}"}`, { codes: false })).toEqual([token])
    expect(findLeaks(`oops ${secret}`, { codes: false })).toEqual([secret])
    expect(findLeaks('nothing here', { codes: true })).toEqual([])
  })

  it('collects the openids WeChat handed the BFF, and finds them (and codes) in a scrape', async () => {
    const { code } = await ctx.login('emoji')
    const { openids } = leakLedger()
    expect(openids.size).toBeGreaterThanOrEqual(2) // alice and emoji (and their unionids)
    const [openid] = [...openids]
    const planted = `wxauth_x_total{who="${openid}",code="${code}"} 1`
    expect(findLeaks(planted, { codes: true, openids: true })).toEqual([code, openid])
    expect(findLeaks(planted, { codes: false })).toEqual([])
    // What the app really exposes is clean.
    const text = recordScrape(await ctx.app.wechatAuth.metrics!.registry.metrics())
    expect(findLeaks(text, { codes: true, openids: true })).toEqual([])
  })

  it('finds nothing in what this file’s BFF logged and answered so far', () => {
    expect(leakLedger().logLines.length).toBeGreaterThan(5)
    expect(leakLedger().bodies.length).toBeGreaterThanOrEqual(3)
    assertNoLeaks()
  })
})
