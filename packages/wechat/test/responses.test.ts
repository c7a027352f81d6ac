import { describe, expect, it } from 'vitest'
import Value from 'typebox/value'
import { WebTokenResponseSchema, WechatUserInfoSchema, grantsUserinfo } from '../src/responses.js'

describe('WechatUserInfoSchema', () => {
  it('accepts the post-2021 userinfo shape with emoji and no unionid', () => {
    const body = {
      openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
      nickname: '小明🌸',
      sex: 0,
      language: '',
      city: '',
      province: '',
      country: '',
      headimgurl: '',
      privilege: [],
    }
    expect(Value.Check(WechatUserInfoSchema, body)).toBe(true)
  })

  it('rejects a body without openid or with a non-array privilege', () => {
    expect(Value.Check(WechatUserInfoSchema, { nickname: 'x' })).toBe(false)
    const bad = {
      openid: 'o1',
      nickname: '',
      sex: 0,
      province: '',
      city: '',
      country: '',
      headimgurl: '',
      privilege: 'none',
    }
    expect(Value.Check(WechatUserInfoSchema, bad)).toBe(false)
  })
})

describe('WebTokenResponseSchema', () => {
  it('accepts a snapshot-user exchange response', () => {
    const body = {
      access_token: '83_abc',
      expires_in: 7200,
      refresh_token: '83_def',
      openid: 'oVirtual000000000000000000001',
      scope: 'snsapi_userinfo',
      is_snapshotuser: 1,
      unionid: 'oUnion',
    }
    expect(Value.Check(WebTokenResponseSchema, body)).toBe(true)
  })

  it('rejects an errcode body', () => {
    expect(Value.Check(WebTokenResponseSchema, { errcode: 40029, errmsg: 'invalid code' })).toBe(
      false,
    )
  })
})

describe('grantsUserinfo', () => {
  it('reads comma-separated scopes, including a trailing comma', () => {
    expect(grantsUserinfo('snsapi_base,snsapi_userinfo,')).toBe(true)
    expect(grantsUserinfo('snsapi_userinfo')).toBe(true)
    expect(grantsUserinfo('snsapi_base')).toBe(false)
    expect(grantsUserinfo('')).toBe(false)
  })
})
