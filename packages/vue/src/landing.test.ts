import { describe, expect, it } from 'vitest'
import { fakeWindow } from '../test/support/fake-window.js'
import { getUrlQueryString, readLanding } from './landing.js'

const CODE = '071CyW000UGidO1SxY000uNATs1CyW04'
const STATE = 'Zq3xY9bK2mP7vR1tW5sN8dF4gH6jL0aC'

describe('getUrlQueryString', () => {
  it('reads code/state from the query before the hash (hash-router landing)', () => {
    const p = getUrlQueryString(`https://h.example/?code=${CODE}&state=${STATE}#/me`)
    expect(p.code).toBe(CODE)
    expect(p.state).toBe(STATE)
  })
})

describe('readLanding', () => {
  it('keeps the code in memory and cleans the address bar, keeping history.state', () => {
    const win = fakeWindow(`https://h.example/me?tab=1&code=${CODE}&state=${STATE}`)
    const landing = readLanding(win, 'history')
    expect(landing.pending).toEqual({ code: CODE, state: STATE })
    expect(landing.cancelled).toBe(false)
    expect(landing.state).toBe(STATE) // what a login intent is bound to
    expect(win.replaceState).toHaveBeenCalledWith(
      { key: 'router-state' },
      '',
      'https://h.example/me?tab=1',
    )
  })

  it('records the entry URL before the cleanup, without its fragment', () => {
    const win = fakeWindow(`https://h.example/?code=${CODE}&state=${STATE}#/me`)
    expect(readLanding(win, 'hash').entryUrl).toBe(`https://h.example/?code=${CODE}&state=${STATE}`)
    expect(win.location.href).toBe('https://h.example/#/me')
  })

  it('a state with no code is a cancelled login, with nothing pending', () => {
    const win = fakeWindow(`https://h.example/me?state=${STATE}`)
    const landing = readLanding(win, 'history')
    expect(landing).toMatchObject({ pending: null, cancelled: true, state: STATE })
    expect(win.location.href).toBe('https://h.example/me')
  })

  it('a plain visit changes nothing', () => {
    const win = fakeWindow('https://h.example/me?tab=1')
    expect(readLanding(win, 'history')).toEqual({
      pending: null,
      cancelled: false,
      state: null,
      entryUrl: 'https://h.example/me?tab=1',
    })
    expect(win.replaceState).not.toHaveBeenCalled()
  })

  it('hash mode: restores the route carried in ?r= (redirect_uri had no #)', () => {
    const win = fakeWindow(`https://h.example/?r=%2Fme&code=${CODE}&state=${STATE}`)
    expect(readLanding(win, 'hash').pending?.code).toBe(CODE)
    expect(win.location.href).toBe('https://h.example/#/me')
  })

  it('history mode leaves an r parameter alone', () => {
    const win = fakeWindow(`https://h.example/?r=%2Fme&code=${CODE}&state=${STATE}`)
    readLanding(win, 'history')
    expect(win.location.href).toBe('https://h.example/?r=%2Fme')
  })

  it('a code without state is still forwarded (the server decides)', () => {
    expect(readLanding(fakeWindow(`https://h.example/?code=${CODE}`), 'history').pending).toEqual({
      code: CODE,
    })
  })

  it('a malformed code is not forwarded, and still cleaned from the address bar', () => {
    const win = fakeWindow('https://h.example/?code=%20bad%20&x=1')
    expect(readLanding(win, 'history').pending).toBeNull()
    expect(win.location.href).toBe('https://h.example/?x=1')
  })
})
