import { describe, expect, it } from 'vitest'
import { STATE_PATTERN } from '@wxauth/shared'
import { generateState, statesMatch } from '../../src/login/state.js'

describe('generateState', () => {
  it('makes 32 base62 characters within WeChat’s [A-Za-z0-9]{1,128}', () => {
    for (let i = 0; i < 200; i++) {
      const state = generateState()
      expect(state).toMatch(/^[A-Za-z0-9]{32}$/)
      expect(STATE_PATTERN.test(state)).toBe(true)
    }
  })

  it('does not repeat', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => generateState()))
    expect(seen.size).toBe(1000)
  })

  it('uses the whole alphabet', () => {
    const chars = new Set(Array.from({ length: 200 }, () => generateState()).join(''))
    expect(chars.size).toBe(62)
  })
})

describe('statesMatch', () => {
  it('is true only for the same string', () => {
    expect(statesMatch('abcDEF123', 'abcDEF123')).toBe(true)
    expect(statesMatch('abcDEF123', 'abcDEF124')).toBe(false)
    expect(statesMatch('abcDEF123', 'abcDEF12')).toBe(false)
    expect(statesMatch('abc', '')).toBe(false)
  })
})
