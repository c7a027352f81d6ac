import { describe, expect, it } from 'vitest'
import { WechatAuthOptionsError, resolveOptions, type WechatAuthOptions } from '../src/index.js'

const BASE: WechatAuthOptions = {
  appId: 'wx0123456789abcdef',
  secret: 'a-real-looking-secret-0123456789',
  publicUrl: 'https://h5.example.com',
  cookieSecret: 'x'.repeat(40),
}

function problemsOf(options: Partial<WechatAuthOptions>): string[] {
  try {
    resolveOptions({ ...BASE, ...options })
  } catch (error) {
    expect(error).toBeInstanceOf(WechatAuthOptionsError)
    return (error as WechatAuthOptionsError).problems
  }
  return []
}

describe('wechatApiBase / wechatOpenBase', () => {
  it('refuse plain http to anything but a loopback host, naming both at once', () => {
    expect(
      problemsOf({
        wechatApiBase: 'http://api.weixin.qq.com',
        wechatOpenBase: 'http://10.0.0.5:3100',
      }),
    ).toEqual([
      'wechatApiBase must be https (plain http only for the simulator on a loopback host: 127.0.0.1, ::1, localhost)',
      'wechatOpenBase must be https (plain http only for the simulator on a loopback host: 127.0.0.1, ::1, localhost)',
    ])
  })

  it('take the simulator on loopback over http, and anything over https', () => {
    for (const base of [
      'http://127.0.0.1:3100',
      'http://127.3.4.5:3100',
      'http://localhost:3100',
      'http://[::1]:3100',
      'https://wechat-proxy.internal.example.com',
    ]) {
      expect(problemsOf({ wechatApiBase: base, wechatOpenBase: base }), base).toEqual([])
    }
  })

  it('do not confuse a look-alike host with loopback', () => {
    expect(problemsOf({ wechatApiBase: 'http://127.0.0.1.example.com' })).toHaveLength(1)
    expect(problemsOf({ wechatApiBase: 'http://localhost.example.com' })).toHaveLength(1)
  })

  it('leave publicUrl free to be http (a development origin the browser sees)', () => {
    expect(problemsOf({ publicUrl: 'http://192.168.1.20:5173' })).toEqual([])
  })
})
