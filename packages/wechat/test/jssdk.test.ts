import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createNonceStr, signJssdkConfig } from '../src/jssdk.js'

describe('signJssdkConfig', () => {
  it("matches the example of WeChat's JS-SDK signature appendix", () => {
    // 附录1: https://developers.weixin.qq.com/doc/service/guide/h5/jssdk.html
    const sig = signJssdkConfig(
      'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
      'http://mp.weixin.qq.com?params=value',
      { nonceStr: 'Wm3WZYTPz0wzccnW', timestamp: 1414587457 },
    )
    expect(sig.signature).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed')
  })

  it('agrees with an independent sha1 over the sorted key=value string', () => {
    const ticket =
      'kgt8ON7yVITDhtdwci0qeW4SR_h7JX7jHlBfrHEzDAbTuXqa1k5NW5WR1cKqzEEK9eaM36OMn-Tmss6m2Lhs9g'
    const url = 'https://h5.example.com/activity?id=1&from=singlemessage'
    const fields = {
      url,
      timestamp: '1732150000',
      noncestr: 'abcDEF0123456789',
      jsapi_ticket: ticket,
    }
    const plain = Object.keys(fields)
      .sort()
      .map((k) => `${k}=${fields[k as keyof typeof fields]}`)
      .join('&')
    const expected = createHash('sha1').update(plain).digest('hex')
    const sig = signJssdkConfig(ticket, url, {
      nonceStr: 'abcDEF0123456789',
      timestamp: 1732150000,
    })
    expect(sig).toEqual({
      timestamp: 1732150000,
      nonceStr: 'abcDEF0123456789',
      signature: expected,
    })
  })

  it('rejects a url with a fragment', () => {
    expect(() => signJssdkConfig('t', 'https://h5.example.com/#/me')).toThrow(TypeError)
  })

  it('fills in a fresh nonce and the current unix time', () => {
    const before = Math.floor(Date.now() / 1000)
    const a = signJssdkConfig('t', 'https://h5.example.com/')
    const b = signJssdkConfig('t', 'https://h5.example.com/')
    expect(a.nonceStr).toMatch(/^[A-Za-z0-9]{16}$/)
    expect(a.nonceStr).not.toBe(b.nonceStr)
    expect(a.timestamp).toBeGreaterThanOrEqual(before)
    expect(a.signature).toMatch(/^[0-9a-f]{40}$/)
  })
})

describe('createNonceStr', () => {
  it('returns base62 strings of the asked length', () => {
    for (const n of [1, 16, 32, 100])
      expect(createNonceStr(n)).toMatch(new RegExp(`^[A-Za-z0-9]{${n}}$`))
  })
})
