import { describe, expect, it } from 'vitest'
import { parseAuthParams, stripAuthParams } from '../src/auth-params.js'

const CODE = '071CyW000UGidO1SxY000uNATs1CyW04' // a real-shaped 32-char code

describe('parseAuthParams', () => {
  it('reads code and state from the query before a hash route', () => {
    const r = parseAuthParams(`https://h5.example.com/p?code=${CODE}&state=S1#/route`)
    expect(r.code).toBe(CODE)
    expect(r.state).toBe('S1')
    expect(r.params).toEqual({ code: CODE, state: 'S1' })
  })

  it('does not swallow the hash into the state (the seed bug)', () => {
    const r = parseAuthParams(`/?code=${CODE}&state=abc#/pages/auth/register`)
    expect(r.state).toBe('abc')
  })

  it('reads code and state from a query inside the hash', () => {
    const r = parseAuthParams(`https://h5.example.com/#/route?code=${CODE}&state=S2`)
    expect(r).toEqual({ code: CODE, state: 'S2', params: { code: CODE, state: 'S2' } })
  })

  it('prefers the query before the hash when both carry code and state', () => {
    const r = parseAuthParams(`/p?code=${CODE}&state=OUTER#/r?code=stale&state=INNER&tab=2`)
    expect(r.code).toBe(CODE)
    expect(r.state).toBe('OUTER')
    expect(r.params).toEqual({ code: CODE, state: 'OUTER', tab: '2' })
  })

  it('takes code/state from the hash query when only it has them', () => {
    const r = parseAuthParams(`/p?from=share#/r?code=${CODE}&state=IN`)
    expect(r.code).toBe(CODE)
    expect(r.state).toBe('IN')
    expect(r.params.from).toBe('share')
  })

  it('decodes encoded values once', () => {
    const r = parseAuthParams('/p?name=%E5%BE%AE%E4%BF%A1&q=a+b&x=%2541&state=S3')
    expect(r.params).toEqual({ name: '微信', q: 'a b', x: '%41', state: 'S3' })
    expect(r.state).toBe('S3')
  })

  it('uses the last value of a repeated key (WeChat appends the fresh code)', () => {
    const r = parseAuthParams(`/p?code=OLDcode&state=OLD&code=${CODE}&state=NEW`)
    expect(r.code).toBe(CODE)
    expect(r.state).toBe('NEW')
  })

  it('reports a cancelled login: state without code', () => {
    const r = parseAuthParams('https://h5.example.com/me?state=S4')
    expect(r.code).toBeUndefined()
    expect(r.state).toBe('S4')
  })

  it('returns nothing for a URL without a query', () => {
    expect(parseAuthParams('https://h5.example.com/me#/x')).toEqual({ params: {} })
    expect(parseAuthParams('')).toEqual({ params: {} })
    expect(parseAuthParams('/')).toEqual({ params: {} })
  })

  it('rejects a state outside [A-Za-z0-9]{1,128}', () => {
    expect(parseAuthParams('/?state=a-b').state).toBeUndefined()
    expect(parseAuthParams('/?state=').state).toBeUndefined()
    expect(parseAuthParams(`/?state=${'a'.repeat(129)}`).state).toBeUndefined()
    expect(parseAuthParams(`/?state=${'a'.repeat(128)}`).state).toBe('a'.repeat(128))
    expect(parseAuthParams('/?state=%7Ba%3A1%7D').state).toBeUndefined()
  })

  it('rejects a code that is empty, too long, or not printable ASCII', () => {
    expect(parseAuthParams('/?code=').code).toBeUndefined()
    expect(parseAuthParams(`/?code=${'x'.repeat(129)}`).code).toBeUndefined()
    expect(parseAuthParams('/?code=a%20b').code).toBeUndefined()
    expect(parseAuthParams('/?code=%E4%BD%A0').code).toBeUndefined()
    expect(parseAuthParams('/?code=a%0Ab').code).toBeUndefined()
  })

  it('never throws on malformed input', () => {
    const inputs = [
      '%',
      '?%E0%A4%A',
      '?code=%ZZ&state=%',
      '#?&&=&=',
      '??code=a',
      '?=x',
      '#',
      '?#',
      42,
      null,
    ]
    for (const input of inputs) {
      expect(() => parseAuthParams(input as string)).not.toThrow()
    }
    expect(parseAuthParams('?code=%ZZ').code).toBe('%ZZ') // kept as written, still printable
    expect(parseAuthParams('?=x').params).toEqual({ '': 'x' })
  })

  it('handles a key without a value', () => {
    expect(parseAuthParams('/?debug&state=S').params).toEqual({ debug: '', state: 'S' })
  })
})

describe('stripAuthParams', () => {
  it('removes code and state and keeps the hash route', () => {
    expect(stripAuthParams(`https://h5.example.com/p?code=${CODE}&state=S#/route`)).toBe(
      'https://h5.example.com/p#/route',
    )
  })

  it('keeps other parameters exactly as written', () => {
    expect(stripAuthParams(`/p?a=1&code=${CODE}&b=%E5%BE%AE&state=S&c`)).toBe(
      '/p?a=1&b=%E5%BE%AE&c',
    )
  })

  it('cleans the query inside the hash too', () => {
    expect(stripAuthParams(`/p?x=1#/r?code=${CODE}&tab=2&state=S`)).toBe('/p?x=1#/r?tab=2')
    expect(stripAuthParams(`/#/r?code=${CODE}&state=S`)).toBe('/#/r')
  })

  it('removes encoded key spellings and repeated keys', () => {
    expect(stripAuthParams('/p?%63ode=x&code=y&state=1&state=2&keep=1')).toBe('/p?keep=1')
  })

  it('leaves a URL without auth params unchanged', () => {
    for (const href of ['/', '/me', '/me?tab=1', '/#/me?x=1', 'https://a.test/p?q=1#h']) {
      expect(stripAuthParams(href)).toBe(href)
    }
  })

  it('does not touch parameters that merely contain the words', () => {
    expect(stripAuthParams('/p?zipcode=1&statement=2&code=3')).toBe('/p?zipcode=1&statement=2')
  })

  it('never throws on malformed input', () => {
    expect(stripAuthParams('?code=%ZZ&x=%')).toBe('?x=%')
    expect(stripAuthParams(undefined as unknown as string)).toBe('')
  })
})
