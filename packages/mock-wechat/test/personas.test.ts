import { describe, expect, it } from 'vitest'
import { PERSONAS, PERSONA_IDS, openidFor, unionidFor } from '../src/index.js'

const WECHAT_ID = /^o[A-Za-z0-9_-]{27}$/

describe('personas', () => {
  it('are the contract ids, in order', () => {
    expect(PERSONAS.map((p) => p.id)).toEqual([
      'alice',
      'emoji',
      'noavatar',
      'nounion',
      'follower',
      'snapshot',
    ])
    expect([...PERSONA_IDS]).toEqual(PERSONAS.map((p) => p.id))
  })

  it('have exactly one follower and one snapshot visitor', () => {
    expect(PERSONAS.filter((p) => p.subscribed).map((p) => p.id)).toEqual(['follower'])
    expect(PERSONAS.filter((p) => p.snapshot).map((p) => p.id)).toEqual(['snapshot'])
  })

  it('include an emoji-and-CJK nickname', () => {
    const emoji = PERSONAS.find((p) => p.id === 'emoji')?.nickname ?? ''
    expect(emoji).toMatch(/\p{Extended_Pictographic}/u)
    expect(emoji).toMatch(/\p{Script=Han}/u)
  })
})

describe('openidFor / unionidFor', () => {
  it('derive 28-char WeChat-shaped ids, stable across calls', () => {
    for (const id of PERSONA_IDS) {
      expect(openidFor(id, 'wxa')).toMatch(WECHAT_ID)
      expect(openidFor(id, 'wxa')).toBe(openidFor(id, 'wxa'))
    }
    expect(unionidFor('alice')).toMatch(WECHAT_ID)
  })

  it('give every persona a distinct openid per app, and one unionid across apps', () => {
    const a = PERSONA_IDS.map((id) => openidFor(id, 'wxa'))
    const b = PERSONA_IDS.map((id) => openidFor(id, 'wxb'))
    expect(new Set([...a, ...b]).size).toBe(PERSONA_IDS.length * 2)
    expect(new Set(PERSONA_IDS.map((id) => unionidFor(id)).filter(Boolean)).size).toBe(5)
  })

  it('give nounion no unionid', () => {
    expect(unionidFor('nounion')).toBeUndefined()
  })
})
