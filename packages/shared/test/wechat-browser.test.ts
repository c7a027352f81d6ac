import { describe, expect, it } from 'vitest'
import { isWechatBrowser } from '../src/wechat-browser.js'

describe('isWechatBrowser', () => {
  it('recognises the WeChat in-app browser', () => {
    const ua =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) NetType/WIFI Language/zh_CN'
    expect(isWechatBrowser(ua)).toBe(true)
  })

  it('rejects ordinary browsers and missing user agents', () => {
    expect(isWechatBrowser('Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36')).toBe(
      false,
    )
    expect(isWechatBrowser('')).toBe(false)
    expect(isWechatBrowser(undefined)).toBe(false)
  })
})
