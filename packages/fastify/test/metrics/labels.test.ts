/**
 * Label values are bounded sets, whatever WeChat (or a proxy in front of it) answers: the
 * mapping from a call's outcome to its `errcode` label, endpoints outside the client's constants,
 * and the cap on distinct errcodes.
 * @see https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html
 */
import { describe, expect, it } from 'vitest'
import type { WechatCallEvent } from '@wxauth/wechat'
import {
  MAX_ERRCODE_LABELS,
  endpointLabel,
  errcodeLabel,
  kindLabel,
  resultLabel,
} from '../../src/metrics/labels.js'

const call = (event: Partial<WechatCallEvent>): WechatCallEvent => ({
  endpoint: 'sns/oauth2/access_token',
  durationMs: 12,
  attempt: 1,
  ok: false,
  ...event,
})

describe('errcodeLabel', () => {
  it('is 0 for a success and the errcode as text for a WeChat error', () => {
    expect(errcodeLabel(call({ ok: true }))).toBe('0')
    expect(errcodeLabel(call({ errcode: -1 }))).toBe('-1')
    expect(errcodeLabel(call({ errcode: 40163 }))).toBe('40163')
  })

  it('names why no usable answer came back', () => {
    expect(errcodeLabel(call({ reason: 'timeout' }))).toBe('timeout')
    expect(errcodeLabel(call({ reason: 'network' }))).toBe('network')
    expect(errcodeLabel(call({ reason: 'garbage' }))).toBe('garbage')
    expect(errcodeLabel(call({ reason: 'http-status', status: 502 }))).toBe('http_5xx')
    expect(errcodeLabel(call({ reason: 'http-status', status: 403 }))).toBe('http_4xx')
    expect(errcodeLabel(call({ reason: 'http-status', status: 302 }))).toBe('http_3xx')
    expect(errcodeLabel(call({ reason: 'http-status' }))).toBe('http_error')
    expect(errcodeLabel(call({ reason: 'something new' }))).toBe('other')
  })

  it(`gives at most ${MAX_ERRCODE_LABELS} distinct errcodes a series, then other`, () => {
    const labels = new Set<string>()
    for (let errcode = 90_000; errcode < 90_000 + 2 * MAX_ERRCODE_LABELS; errcode++) {
      labels.add(errcodeLabel(call({ errcode })))
    }
    expect(labels.size).toBeLessThanOrEqual(MAX_ERRCODE_LABELS + 1)
    expect(labels.has('other')).toBe(true)
    // Those seen before the cap keep their own series.
    expect(errcodeLabel(call({ errcode: 40163 }))).toBe('40163')
  })
})

describe('the other labels', () => {
  it('keeps endpoints to the client’s constants', () => {
    expect(endpointLabel('sns/userinfo')).toBe('sns/userinfo')
    expect(endpointLabel('cgi-bin/stable_token')).toBe('cgi-bin/stable_token')
    expect(endpointLabel('sns/userinfo?openid=o123')).toBe('other')
  })

  it('writes results and kinds in lower snake case', () => {
    expect(resultLabel('ok')).toBe('ok')
    expect(resultLabel('WECHAT_CONFIG_ERROR')).toBe('wechat_config_error')
    expect(kindLabel('rate-limit')).toBe('rate_limit')
    expect(kindLabel('config')).toBe('config')
  })
})
