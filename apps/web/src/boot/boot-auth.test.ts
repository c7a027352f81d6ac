import { beforeEach, describe, expect, it, vi } from 'vitest'
import { getEntryUrl } from '../auth/entry-url.js'
import { clearPendingCode, getPendingCode } from '../auth/pending-code.js'
import { bootAuth, getUrlQueryString, type BootWindow } from './boot-auth.js'

const CODE = '071CyW000UGidO1SxY000uNATs1CyW04'
const STATE = 'Zq3xY9bK2mP7vR1tW5sN8dF4gH6jL0aC'

function fakeWindow(href: string): BootWindow & { replaceState: ReturnType<typeof vi.fn> } {
  const replaceState = vi.fn((_state: unknown, _title: string, url?: string | URL | null) => {
    win.location.href = String(url)
  })
  const win = {
    location: { href },
    history: { state: { key: 'router-state' }, replaceState },
    replaceState,
  }
  return win
}

describe('getUrlQueryString', () => {
  it('reads code/state from the query before the hash (hash-router landing)', () => {
    const p = getUrlQueryString(`https://h.example/?code=${CODE}&state=${STATE}#/me`)
    expect(p.code).toBe(CODE)
    expect(p.state).toBe(STATE)
  })
})

describe('bootAuth', () => {
  beforeEach(() => clearPendingCode())

  it('keeps the code in memory and cleans the address bar, keeping history.state', () => {
    const win = fakeWindow(`https://h.example/me?tab=1&code=${CODE}&state=${STATE}`)
    const outcome = bootAuth(win, 'history')
    expect(outcome).toEqual({ hasCode: true, cancelled: false })
    expect(getPendingCode()).toEqual({ code: CODE, state: STATE })
    expect(win.replaceState).toHaveBeenCalledWith(
      { key: 'router-state' },
      '',
      'https://h.example/me?tab=1',
    )
  })

  it('records the entry URL before the cleanup, without its fragment', () => {
    bootAuth(fakeWindow(`https://h.example/?code=${CODE}&state=${STATE}#/me`), 'hash')
    expect(getEntryUrl()).toBe(`https://h.example/?code=${CODE}&state=${STATE}`)
  })

  it('a state with no code is a cancelled login, with nothing pending', () => {
    const win = fakeWindow(`https://h.example/me?state=${STATE}`)
    expect(bootAuth(win, 'history')).toEqual({ hasCode: false, cancelled: true })
    expect(getPendingCode()).toBeNull()
    expect(win.location.href).toBe('https://h.example/me')
  })

  it('a plain visit changes nothing', () => {
    const win = fakeWindow('https://h.example/me?tab=1')
    expect(bootAuth(win, 'history')).toEqual({ hasCode: false, cancelled: false })
    expect(win.replaceState).not.toHaveBeenCalled()
  })

  it('hash mode: restores the route carried in ?r= (redirect_uri had no #)', () => {
    const win = fakeWindow(`https://h.example/?r=%2Fme&code=${CODE}&state=${STATE}`)
    bootAuth(win, 'hash')
    expect(win.location.href).toBe('https://h.example/#/me')
    expect(getPendingCode()?.code).toBe(CODE)
  })

  it('history mode leaves an r parameter alone', () => {
    const win = fakeWindow(`https://h.example/?r=%2Fme&code=${CODE}&state=${STATE}`)
    bootAuth(win, 'history')
    expect(win.location.href).toBe('https://h.example/?r=%2Fme')
  })

  it('a code without state is still forwarded (the BFF decides)', () => {
    bootAuth(fakeWindow(`https://h.example/?code=${CODE}`), 'history')
    expect(getPendingCode()).toEqual({ code: CODE })
  })
})
