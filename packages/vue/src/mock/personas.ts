/**
 * The mock's test users: the WeChat simulator's personas (`@wxauth/shared/personas`, one
 * definition for both), under the mock's names, with what the mock derives from them as plain
 * code so it needs neither the simulator nor a network. Avatars are inline SVG `data:` URLs, drawn
 * like the simulator's (a tile in the persona's colour with its initial).
 */
import {
  PERSONAS,
  PERSONA_IDS,
  isPersonaId,
  type Persona,
  type PersonaId,
} from '@wxauth/shared/personas'

/** The personas' ids, in picker order. */
export const MOCK_PERSONA_IDS = PERSONA_IDS
export type MockPersonaId = PersonaId

/** A simulated WeChat user. */
export type MockPersona = Persona

/** The personas, in picker order. */
export const MOCK_PERSONAS: readonly MockPersona[] = PERSONAS

/** Is this one of {@link MOCK_PERSONA_IDS}? */
export const isMockPersonaId: (value: unknown) => value is MockPersonaId = isPersonaId

/** The persona with this id. */
export function mockPersona(id: MockPersonaId): MockPersona {
  return MOCK_PERSONAS.find((p) => p.id === id) ?? MOCK_PERSONAS[0]!
}

/** 32-bit FNV-1a: a stable, dependency-free hash for the ids below (not a security measure). */
function fnv1a(text: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** `o` + 27 chars of `[A-Za-z0-9_-]`: 28 chars, shaped like WeChat's openids. */
function wechatStyleId(seed: string): string {
  let out = 'o'
  for (let i = 0; out.length < 28; i++) {
    let hash = fnv1a(seed, i)
    for (let j = 0; j < 4 && out.length < 28; j++, hash >>>= 6) out += ID_ALPHABET[hash & 63]
  }
  return out
}

/** The persona's openid for an app: stable, different per app (an openid is per account). */
export function mockOpenid(persona: MockPersonaId, appId: string): string {
  return wechatStyleId(`openid\u0000${appId}\u0000${persona}`)
}

/** The persona's unionid, if it has one. */
export function mockUnionid(persona: MockPersonaId): string | undefined {
  return mockPersona(persona).hasUnionid ? wechatStyleId(`unionid\u0000${persona}`) : undefined
}

/** A square avatar: the persona's colour and initial, as an SVG `data:` URL (works offline). */
export function avatarDataUrl(initial: string, color: string): string {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 132 132">' +
    `<rect width="132" height="132" fill="${color}"/>` +
    '<text x="66" y="88" font-size="64" text-anchor="middle" fill="#fff" ' +
    `font-family="sans-serif" font-weight="bold">${initial}</text></svg>`
  return `data:image/svg+xml,${encodeURIComponent(svg)}`
}

/** `headimgurl` of a persona: its avatar, or `""` for a persona without one (as WeChat sends). */
export function mockHeadimgurl(persona: MockPersonaId): string {
  const p = mockPersona(persona)
  return p.hasAvatar ? avatarDataUrl(p.id.charAt(0).toUpperCase(), p.color) : ''
}
