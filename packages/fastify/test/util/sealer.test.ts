import { describe, expect, it } from 'vitest'
import { createSealer } from '../../src/util/sealer.js'

const SECRET = 'test-cookie-secret-0123456789-abcdefghijklmnop'

describe('createSealer', () => {
  it('round-trips text bound to its key, and hides it', () => {
    const sealer = createSealer(SECRET, 'purpose-a')
    const sealed = sealer.seal('{"sessionId":"raw"}', 'hash-1')
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/)
    expect(sealed).not.toContain('raw')
    expect(sealer.open(sealed, 'hash-1')).toBe('{"sessionId":"raw"}')
    expect(sealer.seal('same', 'k')).not.toBe(sealer.seal('same', 'k'))
  })

  it('refuses a blob moved to another key, another purpose or secret, or tampered with', () => {
    const sealer = createSealer(SECRET, 'purpose-a')
    const sealed = sealer.seal('text', 'hash-1')
    expect(sealer.open(sealed, 'hash-2')).toBeNull()
    expect(createSealer(SECRET, 'purpose-b').open(sealed, 'hash-1')).toBeNull()
    expect(createSealer(`${SECRET}!`, 'purpose-a').open(sealed, 'hash-1')).toBeNull()
    const at = sealed.length - 2
    const flipped = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1)
    expect(flipped).not.toBe(sealed)
    expect(sealer.open(flipped, 'hash-1')).toBeNull()
    expect(sealer.open('v1.short', 'hash-1')).toBeNull()
    expect(sealer.open('v0.anything', 'hash-1')).toBeNull()
  })
})
