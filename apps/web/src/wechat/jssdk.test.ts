import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { JssdkConfigResponse } from '@wxauth/shared'
import {
  JSSDK_SCRIPT_URL,
  SHARE_API_LIST,
  activityShareContent,
  isIos,
  loadJssdk,
  setupWechatShare,
  shareLink,
  signatureUrl,
  type ShareContent,
  type Wx,
} from './jssdk.js'

const IOS_WECHAT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
  'Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) NetType/WIFI Language/zh_CN'
const ANDROID_WECHAT =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, ' +
  'like Gecko) Version/4.0 Chrome/126.0.6478.188 Mobile Safari/537.36 XWEB/1260117 ' +
  'MMWEBSDK/20240404 MMWEBID/1234 MicroMessenger/8.0.50.2701(0x28003237) WeChat/arm64 Weixin ' +
  'NetType/WIFI Language/zh_CN ABI/arm64'
const DESKTOP = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36'

const ENTRY = 'https://h5.example.com/?code=071CyW000UGidO1SxY000uNATs1CyW04&state=Zq3x'
const CURRENT = 'https://h5.example.com/me?tab=1#section'
const CONFIG: JssdkConfigResponse = {
  appId: 'wx5f3c1a9e2b7d4f60',
  timestamp: 1_700_000_000,
  nonceStr: 'Wm3WZYTPz0wzccnW',
  signature: '0f9de62fce790f9a083d5c99e95740ceb90c27ed',
}
const CONTENT: ShareContent = {
  title: '周末读书会',
  desc: '一起读一本好书',
  imgUrl: 'https://h5.example.com/cover.jpg',
}

/** A fake `window.wx` recording every call; `outcome` decides whether ready or error fires. */
function fakeWx(outcome: 'ready' | 'error' = 'ready') {
  const calls = {
    config: [] as unknown[],
    share: [] as Array<Record<string, unknown>>,
    timeline: [] as Array<Record<string, unknown>>,
  }
  let onReady: (() => void) | null = null
  let onError: ((res: { errMsg?: string }) => void) | null = null
  const settle = () =>
    queueMicrotask(() => {
      if (outcome === 'ready') onReady?.()
      else onError?.({ errMsg: 'config:invalid signature' })
    })
  const wx: Wx = {
    config: (options) => {
      calls.config.push(options)
      settle()
    },
    ready: (cb) => {
      onReady = cb
    },
    error: (cb) => {
      onError = cb
    },
    updateAppMessageShareData: (options) => calls.share.push({ ...options }),
    updateTimelineShareData: (options) => calls.timeline.push({ ...options }),
  }
  return { wx, calls }
}

describe('signatureUrl', () => {
  it('iOS signs the entry URL (code included), Android the current URL; never a fragment', () => {
    expect(isIos(IOS_WECHAT)).toBe(true)
    expect(isIos(ANDROID_WECHAT)).toBe(false)
    expect(signatureUrl(IOS_WECHAT, ENTRY, CURRENT)).toBe(ENTRY)
    expect(signatureUrl(ANDROID_WECHAT, ENTRY, CURRENT)).toBe('https://h5.example.com/me?tab=1')
    expect(signatureUrl(IOS_WECHAT, `${ENTRY}#/me`, CURRENT)).toBe(ENTRY)
  })

  it('iOS falls back to the current URL without a recorded entry URL', () => {
    expect(signatureUrl(IOS_WECHAT, '', CURRENT)).toBe('https://h5.example.com/me?tab=1')
  })
})

describe('shareLink', () => {
  it('drops code and state; history mode drops the fragment, hash mode keeps the route', () => {
    const href = 'https://h5.example.com/p?code=C0DE&state=S7&from=x#/me?tab=1'
    expect(shareLink(href, 'history')).toBe('https://h5.example.com/p?from=x')
    expect(shareLink(href, 'hash')).toBe('https://h5.example.com/p?from=x#/me?tab=1')
    expect(shareLink('https://h5.example.com/#/?code=C0DE&state=S7', 'hash')).toBe(
      'https://h5.example.com/#/',
    )
  })
})

describe('activityShareContent', () => {
  it('uses the title, a one-line description and the absolute cover URL', () => {
    const content = activityShareContent(
      { title: 'T', description: '第一行\n第二行  ', coverUrl: '/covers/1.jpg' },
      'https://h5.example.com/me',
    )
    expect(content).toEqual({
      title: 'T',
      desc: '第一行 第二行',
      imgUrl: 'https://h5.example.com/covers/1.jpg',
    })
  })

  it('never offers a data: URI as the thumbnail (WeChat fetches it by URL): the app icon then', () => {
    const content = activityShareContent(
      { title: 'T', description: 'd', coverUrl: 'data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E' },
      'https://h5.example.com/me?x=1',
    )
    expect(content.imgUrl).toBe('https://h5.example.com/share-icon.png')
  })

  it('shortens a long description and tolerates a missing cover', () => {
    const content = activityShareContent(
      { title: 'T', description: '长'.repeat(300), coverUrl: '' },
      'https://h5.example.com/',
    )
    expect(content.desc).toHaveLength(120)
    expect(content.desc.endsWith('…')).toBe(true)
    expect(content.imgUrl).toBe('https://h5.example.com/share-icon.png')
  })
})

describe('setupWechatShare', () => {
  let warn: ReturnType<typeof vi.spyOn>
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  })
  afterEach(() => {
    warn.mockRestore()
  })

  it('configures wx with the signature for the iOS entry URL and sets both share cards', async () => {
    const { wx, calls } = fakeWx()
    const fetchConfig = vi.fn(async () => CONFIG)
    const done = await setupWechatShare(CONTENT, {
      snapshot: false,
      userAgent: IOS_WECHAT,
      href: 'https://h5.example.com/?from=timeline',
      entryUrl: `${ENTRY}&from=timeline`,
      mode: 'history',
      load: async () => wx,
      fetchConfig,
    })
    expect(done).toBe(true)
    expect(fetchConfig).toHaveBeenCalledWith(`${ENTRY}&from=timeline`)
    expect(calls.config).toEqual([
      {
        debug: false,
        appId: CONFIG.appId,
        timestamp: CONFIG.timestamp,
        nonceStr: CONFIG.nonceStr,
        signature: CONFIG.signature,
        jsApiList: ['updateAppMessageShareData', 'updateTimelineShareData'],
      },
    ])
    expect(SHARE_API_LIST).toEqual(['updateAppMessageShareData', 'updateTimelineShareData'])
    expect(calls.share).toEqual([
      expect.objectContaining({ ...CONTENT, link: 'https://h5.example.com/?from=timeline' }),
    ])
    expect(calls.timeline).toEqual([
      expect.objectContaining({
        title: CONTENT.title,
        imgUrl: CONTENT.imgUrl,
        link: 'https://h5.example.com/?from=timeline',
      }),
    ])
    expect(warn).not.toHaveBeenCalled()
  })

  it('Android signs the current URL; hash mode shares the route', async () => {
    const { wx, calls } = fakeWx()
    const fetchConfig = vi.fn(async () => CONFIG)
    await setupWechatShare(CONTENT, {
      snapshot: false,
      userAgent: ANDROID_WECHAT,
      href: 'https://h5.example.com/#/me',
      entryUrl: ENTRY,
      mode: 'hash',
      load: async () => wx,
      fetchConfig,
    })
    expect(fetchConfig).toHaveBeenCalledWith('https://h5.example.com/')
    expect(calls.share[0]?.link).toBe('https://h5.example.com/#/me')
  })

  it('never strips less than code and state from the shared link', async () => {
    const { wx, calls } = fakeWx()
    await setupWechatShare(CONTENT, {
      snapshot: false,
      userAgent: IOS_WECHAT,
      href: `${ENTRY}&from=x`,
      entryUrl: ENTRY,
      mode: 'history',
      load: async () => wx,
      fetchConfig: async () => CONFIG,
    })
    expect(calls.share[0]?.link).toBe('https://h5.example.com/?from=x')
    expect(String(calls.timeline[0]?.link)).not.toMatch(/code=|state=/)
  })

  it.each([
    ['outside WeChat', { snapshot: false, userAgent: DESKTOP }],
    ['a snapshot-page guest', { snapshot: true, userAgent: IOS_WECHAT }],
  ])('does nothing for %s: no script, no request', async (_, env) => {
    const load = vi.fn()
    const fetchConfig = vi.fn()
    const done = await setupWechatShare(CONTENT, { ...env, load, fetchConfig })
    expect(done).toBe(false)
    expect(load).not.toHaveBeenCalled()
    expect(fetchConfig).not.toHaveBeenCalled()
  })

  it('wx.error (e.g. invalid signature) is logged and resolves false', async () => {
    const { wx, calls } = fakeWx('error')
    const done = await setupWechatShare(CONTENT, {
      snapshot: false,
      userAgent: IOS_WECHAT,
      href: 'https://h5.example.com/',
      entryUrl: ENTRY,
      load: async () => wx,
      fetchConfig: async () => CONFIG,
    })
    expect(done).toBe(false)
    expect(calls.share).toEqual([])
    expect(warn).toHaveBeenCalledWith('[wxauth] wx.config failed:', 'config:invalid signature')
  })

  it.each([
    ['the BFF refuses', 'load', new Error('500 WECHAT_CONFIG_ERROR')],
    ['the script does not load', 'fetch', new Error(`could not load ${JSSDK_SCRIPT_URL}`)],
  ])('%s: logged, resolves false, never throws', async (_, ok, error) => {
    const { wx } = fakeWx()
    const done = await setupWechatShare(CONTENT, {
      snapshot: false,
      userAgent: ANDROID_WECHAT,
      href: 'https://h5.example.com/',
      load: ok === 'load' ? async () => wx : () => Promise.reject(error),
      fetchConfig: ok === 'fetch' ? async () => CONFIG : () => Promise.reject(error),
    })
    expect(done).toBe(false)
    expect(warn).toHaveBeenCalledWith('[wxauth] JS-SDK sharing unavailable:', error.message)
  })
})

describe('loadJssdk', () => {
  let appended: HTMLScriptElement[]
  beforeEach(() => {
    appended = []
    // Capture the tag instead of letting the DOM fetch res.wx.qq.com.
    vi.spyOn(document.head, 'appendChild').mockImplementation(<T extends Node>(node: T): T => {
      appended.push(node as unknown as HTMLScriptElement)
      return node
    })
    delete window.wx
  })
  afterEach(() => {
    vi.restoreAllMocks()
    delete window.wx
  })

  it('adds one async script tag for jweixin 1.6.0, shared by concurrent callers', async () => {
    const first = loadJssdk()
    const second = loadJssdk()
    expect(appended).toHaveLength(1)
    expect(appended[0]?.src).toBe('https://res.wx.qq.com/open/js/jweixin-1.6.0.js')
    expect(appended[0]?.async).toBe(true)
    const { wx } = fakeWx()
    window.wx = wx
    appended[0]?.onload?.(new Event('load'))
    await expect(first).resolves.toBe(wx)
    await expect(second).resolves.toBe(wx)
    // Loaded: no second tag.
    await expect(loadJssdk()).resolves.toBe(wx)
    expect(appended).toHaveLength(1)
  })

  it('rejects on a load error, and lets a later call try again', async () => {
    const first = loadJssdk()
    appended[0]?.onerror?.(new Event('error'))
    await expect(first).rejects.toThrow(/could not load https:\/\/res\.wx\.qq\.com/)
    const retry = loadJssdk()
    expect(appended).toHaveLength(2)
    appended[1]?.onload?.(new Event('load')) // loaded, but no window.wx
    await expect(retry).rejects.toThrow(/defined no window\.wx/)
  })
})
