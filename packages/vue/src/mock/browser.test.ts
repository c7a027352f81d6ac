import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TRIPS_KEY } from '../loop-guard.js'
import { applyScenarioParam } from './browser.js'
import { createWechatAuthMock } from './create-mock.js'
import { MOCK_STATE_KEY } from './state.js'

describe('?mock=<name> on the page URL', () => {
  const mock = createWechatAuthMock({ storage: sessionStorage })

  beforeEach(() => {
    sessionStorage.clear()
    sessionStorage.setItem(TRIPS_KEY, JSON.stringify([Date.now(), Date.now()]))
  })
  afterEach(() => vi.restoreAllMocks())

  it('starts that scenario afresh, remembered for the tab, and leaves the address bar', () => {
    history.replaceState({ from: 'router' }, '', '/me?mock=loop&x=1#top')
    applyScenarioParam(mock)
    expect(mock.state().scenario).toBe('loop')
    expect(JSON.parse(sessionStorage.getItem(MOCK_STATE_KEY)!).scenario).toBe('loop')
    expect(location.pathname + location.search + location.hash).toBe('/me?x=1#top')
    expect(history.state).toEqual({ from: 'router' })
    // the loop guard's trips belonged to the scenario left behind
    expect(sessionStorage.getItem(TRIPS_KEY)).toBeNull()
  })

  it('keeps WeChat’s code and state for the app to read', () => {
    history.replaceState(null, '', '/?mock=new&code=C0DE&state=S7')
    applyScenarioParam(mock)
    expect(location.search).toBe('?code=C0DE&state=S7')
  })

  it('an unknown name changes nothing but the address bar, and says which names there are', () => {
    mock.useScenario('returning')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    history.replaceState(null, '', '/?mock=nope')
    applyScenarioParam(mock)
    expect(mock.state().scenario).toBe('returning')
    expect(location.search).toBe('')
    expect(String(warn.mock.calls[0]?.[0])).toContain('new, returning, snapshot')
    expect(sessionStorage.getItem(TRIPS_KEY)).not.toBeNull()
  })

  it('without the parameter nothing changes', () => {
    mock.useScenario('expired')
    history.replaceState(null, '', '/me')
    applyScenarioParam(mock)
    expect(mock.state().scenario).toBe('expired')
    expect(location.pathname).toBe('/me')
  })
})
