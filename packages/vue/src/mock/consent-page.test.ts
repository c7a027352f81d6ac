import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mockAuthorizeUrl } from './authorize.js'
import { mountConsentPage } from './consent-page.js'
import { createWechatAuthMock } from './create-mock.js'

const mock = createWechatAuthMock()
const STATE = 'Zq3xY9bK2mP7vR1tW5sN8dF4gH6jL0aC'

/** Open the authorize page for `scope` (as the page would after `GET /auth/authorize-url`). */
function open(scope: 'snsapi_base' | 'snsapi_userinfo', appId = mock.appId) {
  const url = mockAuthorizeUrl(location.origin, {
    appId,
    redirectUri: `${location.origin}/me?tab=1`,
    scope,
    state: STATE,
  })
  history.replaceState(null, '', url)
  const replace = vi.spyOn(window.location, 'replace').mockImplementation(() => {})
  mountConsentPage(mock, { window })
  return replace
}

function landedOn(replace: ReturnType<typeof open>): URL {
  expect(replace).toHaveBeenCalledOnce()
  return new URL(String(replace.mock.calls[0]?.[0]))
}

describe('the mock authorize page', () => {
  beforeEach(() => {
    mock.useScenario('new', 'alice')
    document.head.innerHTML = ''
    document.body.innerHTML = ''
  })
  afterEach(() => vi.restoreAllMocks())

  it('snsapi_base is silent: straight back with a code and the state', () => {
    const url = landedOn(open('snsapi_base'))
    expect(url.pathname + url.search).toMatch(/^\/me\?tab=1&code=[A-Za-z0-9]{32}&state=/)
    expect(url.searchParams.get('state')).toBe(STATE)
    expect(mock.state().codes[url.searchParams.get('code')!]).toMatchObject({
      persona: 'alice',
      scope: 'snsapi_base',
    })
  })

  it('snsapi_userinfo shows the consent page with every persona, the current one chosen', () => {
    const replace = open('snsapi_userinfo')
    expect(replace).not.toHaveBeenCalled()
    expect(document.querySelector('[data-test=mock-consent]')).not.toBeNull()
    expect(document.querySelectorAll('[data-test^=mock-persona-]')).toHaveLength(6)
    const checked = document.querySelector<HTMLInputElement>('input[name=persona]:checked')
    expect(checked?.value).toBe('alice')
    expect(document.querySelector('h1')?.textContent).toBe('wxauth 示例公众号 申请获得以下权限：')
  })

  it('允许 as another persona: a code for that persona, who the next silent login is too', () => {
    const replace = open('snsapi_userinfo')
    document.querySelector<HTMLInputElement>('input[value=emoji]')!.click()
    document.querySelector<HTMLButtonElement>('[data-test=mock-allow]')!.click()
    const code = landedOn(replace).searchParams.get('code')!
    expect(mock.state().codes[code]).toMatchObject({ persona: 'emoji', scope: 'snsapi_userinfo' })
    expect(mock.state().persona).toBe('emoji')
  })

  it('拒绝: back with the state only', () => {
    const replace = open('snsapi_userinfo')
    document.querySelector<HTMLButtonElement>('[data-test=mock-deny]')!.click()
    const url = landedOn(replace)
    expect([...url.searchParams]).toEqual([
      ['tab', '1'],
      ['state', STATE],
    ])
  })

  it('the cancelled scenario declines even a silent login', () => {
    mock.useScenario('cancelled')
    const url = landedOn(open('snsapi_base'))
    expect(url.searchParams.has('code')).toBe(false)
    expect(url.searchParams.get('state')).toBe(STATE)
  })

  it('another app’s authorize URL gets WeChat’s error page and no redirect', () => {
    const replace = open('snsapi_base', 'wx0000000000000000')
    expect(replace).not.toHaveBeenCalled()
    expect(document.querySelector('[data-test=mock-error]')?.textContent).toContain('10016')
  })
})
