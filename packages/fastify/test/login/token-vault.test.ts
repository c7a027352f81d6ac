import { describe, expect, it } from 'vitest'
import { createTokenVault, type WebTokens } from '../../src/login/token-vault.js'

const TOKENS: WebTokens = {
  accessToken: '83_access-token-value',
  refreshToken: '83_refresh-token-value',
  accessExpiresAt: 1_700_000_000_000,
  refreshExpiresAt: 1_702_592_000_000,
}

describe('token vault', () => {
  const vault = createTokenVault('a-cookie-secret-that-is-long-enough-1234')

  it('round-trips, and the sealed form reveals no token', () => {
    const sealed = vault.seal(TOKENS, 'session-hash-1')
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/)
    expect(sealed).not.toContain('access-token')
    expect(sealed).not.toContain('refresh-token')
    expect(vault.open(sealed, 'session-hash-1')).toEqual(TOKENS)
  })

  it('uses a fresh IV each time', () => {
    expect(vault.seal(TOKENS, 's')).not.toBe(vault.seal(TOKENS, 's'))
  })

  it('refuses a blob moved to another session, tampered with, or sealed under another secret', () => {
    const sealed = vault.seal(TOKENS, 'session-hash-1')
    expect(vault.open(sealed, 'session-hash-2')).toBeNull()
    const raw = Buffer.from(sealed.slice(3), 'base64url')
    raw.writeUInt8(raw.readUInt8(raw.length - 1) ^ 1, raw.length - 1)
    const flipped = `v1.${raw.toString('base64url')}`
    expect(vault.open(flipped, 'session-hash-1')).toBeNull()
    expect(
      createTokenVault('another-secret-that-is-long-enough-12345').open(sealed, 'session-hash-1'),
    ).toBeNull()
    expect(vault.open('garbage', 'session-hash-1')).toBeNull()
    expect(vault.open('v1.AAAA', 'session-hash-1')).toBeNull()
  })
})
