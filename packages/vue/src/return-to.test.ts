import { describe, expect, it } from 'vitest'
import { buildReturnTo, currentRoutePath, isSafeRoutePath, restoreHashRoute } from './return-to.js'

const history = { mode: 'history', base: '/', pathname: '/me', search: '' } as const
const hash = { mode: 'hash', base: '/', pathname: '/', search: '' } as const

describe('buildReturnTo', () => {
  it('history mode: the route path and query, never its hash', () => {
    expect(buildReturnTo('/me?tab=1', history)).toBe('/me?tab=1')
    expect(buildReturnTo('/me#top', history)).toBe('/me')
    expect(buildReturnTo('/', history)).toBe('/')
  })

  it('history mode under a base path', () => {
    expect(buildReturnTo('/me', { ...history, base: '/app/' })).toBe('/app/me')
  })

  it('hash mode: the hosting page plus the route as ?r=, no # anywhere', () => {
    const returnTo = buildReturnTo('/me?tab=1', hash)
    expect(returnTo).toBe('/?r=%2Fme%3Ftab%3D1')
    expect(returnTo).not.toContain('#')
  })

  it('hash mode: the home route needs no marker', () => {
    expect(buildReturnTo('/', hash)).toBe('/')
  })

  it('hash mode: keeps share parameters, drops code/state and an old marker', () => {
    const ctx = { ...hash, search: '?from=singlemessage&code=OLD&state=S&r=%2Fold' }
    expect(buildReturnTo('/me', ctx)).toBe('/?from=singlemessage&r=%2Fme')
  })
})

describe('restoreHashRoute', () => {
  it('moves ?r= back into the fragment', () => {
    expect(restoreHashRoute('https://h.example/?r=%2Fme')).toBe('https://h.example/#/me')
    expect(restoreHashRoute('https://h.example/?from=x&r=%2Fme%3Ftab%3D1')).toBe(
      'https://h.example/?from=x#/me?tab=1',
    )
  })

  it('leaves a URL without the marker alone', () => {
    expect(restoreHashRoute('https://h.example/p?x=1#/a')).toBe('https://h.example/p?x=1#/a')
  })

  it('keeps an existing hash route and drops the marker', () => {
    expect(restoreHashRoute('https://h.example/?r=%2Fme#/other')).toBe('https://h.example/#/other')
  })

  it('drops an unsafe marker instead of restoring it', () => {
    for (const bad of ['%2F%2Fevil.example', 'https%3A%2F%2Fevil.example', '%2F%5Cevil']) {
      expect(restoreHashRoute(`https://h.example/?r=${bad}`)).toBe('https://h.example/')
    }
  })

  it('isSafeRoutePath accepts app routes only', () => {
    expect(isSafeRoutePath('/me?x=1')).toBe(true)
    expect(isSafeRoutePath('//evil')).toBe(false)
    expect(isSafeRoutePath('me')).toBe(false)
    expect(isSafeRoutePath('/a#b')).toBe(false)
  })
})

describe('currentRoutePath (no router guard told the return path)', () => {
  const at = (mode: 'history' | 'hash', pathname: string, search = '', base = '/') => ({
    mode,
    base,
    pathname,
    search,
  })

  it('history mode: the path after the base, with its query', () => {
    expect(currentRoutePath(at('history', '/me', '?tab=1'), '')).toBe('/me?tab=1')
    const app = at('history', '/app/me', '', '/app/')
    expect(currentRoutePath(app, '')).toBe('/me')
    expect(buildReturnTo(currentRoutePath(app, ''), app)).toBe('/app/me')
  })

  it('hash mode: the route in the fragment; home without one or for an unsafe one', () => {
    expect(currentRoutePath(at('hash', '/', '?from=x'), '#/me?tab=1')).toBe('/me?tab=1')
    expect(currentRoutePath(at('hash', '/'), '')).toBe('/')
    expect(currentRoutePath(at('hash', '/'), '#//evil.example')).toBe('/')
  })
})
