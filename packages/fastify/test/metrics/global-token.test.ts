/**
 * The account-wide access token as counters: fetches by mode and result (cache hits are not
 * fetches), and dead tokens dropped (40001/42001/40014 on a call made with one).
 * @see https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, type TestContext } from '../helper.js'
import { delta, scrape } from './scrape.js'

describe('wxauth_global_token_fetches_total and _invalidations_total (stable mode)', () => {
  let ctx: TestContext
  beforeAll(async () => {
    ctx = await build()
  })
  afterAll(async () => {
    await ctx?.close()
  })

  it('counts one fetch for the first follower lookup and none for the next (cached)', async () => {
    const before = await scrape(ctx.app)
    const alice = await ctx.login('alice')
    expect((await alice.browser.get('/api/me/subscription')).statusCode).toBe(200)
    const emoji = await ctx.login('emoji')
    expect((await emoji.browser.get('/api/me/subscription')).statusCode).toBe(200)
    const after = await scrape(ctx.app)
    expect(
      delta(after, before, 'wxauth_global_token_fetches_total', { mode: 'stable', result: 'ok' }),
    ).toBe(1)
    expect(delta(after, before, 'wxauth_global_token_fetches_total')).toBe(1)
    expect(
      delta(after, before, 'wxauth_wechat_requests_total', {
        endpoint: 'cgi-bin/stable_token',
        errcode: '0',
      }),
    ).toBe(1)
    expect(
      delta(after, before, 'wxauth_wechat_requests_total', {
        endpoint: 'cgi-bin/user/info',
        errcode: '0',
      }),
    ).toBe(2)
  })

  it('counts a dead token (40001) as one invalidation and one more fetch', async () => {
    const { browser } = await ctx.login('follower')
    await ctx.control('fail', { endpoint: 'cgi-bin/user/info', mode: 'errcode', errcode: 40001 })
    const before = await scrape(ctx.app)
    expect((await browser.get('/api/me/subscription')).statusCode).toBe(200)
    const after = await scrape(ctx.app)
    expect(delta(after, before, 'wxauth_global_token_invalidations_total')).toBe(1)
    expect(
      delta(after, before, 'wxauth_global_token_fetches_total', { mode: 'stable', result: 'ok' }),
    ).toBe(1)
    expect(
      delta(after, before, 'wxauth_wechat_requests_total', {
        endpoint: 'cgi-bin/user/info',
        errcode: '40001',
      }),
    ).toBe(1)
  })

  it('counts a failed fetch by its kind (40164: config)', async () => {
    // The token from before is still cached: drop it the way a dead-token answer would.
    const token = await ctx.app.wechatAuth.wechat.getStableAccessToken()
    await ctx.app.wechatAuth.wechat.invalidateAccessToken(token)
    await ctx.control('fail', {
      endpoint: 'cgi-bin/stable_token',
      mode: 'errcode',
      errcode: 40164,
    })
    const { browser } = await ctx.login('nounion')
    const before = await scrape(ctx.app)
    expect((await browser.get('/api/me/subscription')).statusCode).toBe(500)
    const after = await scrape(ctx.app)
    expect(
      delta(after, before, 'wxauth_global_token_fetches_total', {
        mode: 'stable',
        result: 'config',
      }),
    ).toBe(1)
    expect(
      delta(after, before, 'wxauth_wechat_requests_total', {
        endpoint: 'cgi-bin/stable_token',
        errcode: '40164',
      }),
    ).toBe(1)
  })
})

describe('classic mode', () => {
  it('labels fetches mode="classic" (cgi-bin/token)', async () => {
    const ctx = await build({ options: { globalToken: 'classic' } })
    try {
      const { browser } = await ctx.login('alice')
      expect((await browser.get('/api/me/subscription')).statusCode).toBe(200)
      const metrics = await scrape(ctx.app)
      expect(
        metrics.value('wxauth_global_token_fetches_total', { mode: 'classic', result: 'ok' }),
      ).toBe(1)
      expect(metrics.value('wxauth_global_token_fetches_total', { mode: 'stable' })).toBe(0)
      expect(
        metrics.value('wxauth_wechat_requests_total', { endpoint: 'cgi-bin/token', errcode: '0' }),
      ).toBe(1)
    } finally {
      await ctx.close()
    }
  })
})
