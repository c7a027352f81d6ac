/**
 * The mock's test users: the same ids, nicknames and traits as the WeChat simulator's personas
 * (`packages/mock-wechat/src/personas.ts`; the contract test checks they agree), as plain data so
 * the mock needs neither the simulator nor a network. Avatars are inline SVG `data:` URLs, drawn
 * like the simulator's (a tile in the persona's colour with its initial).
 */

/** The personas' ids, in picker order. */
export const MOCK_PERSONA_IDS = [
  'alice',
  'emoji',
  'noavatar',
  'nounion',
  'follower',
  'snapshot',
] as const
export type MockPersonaId = (typeof MOCK_PERSONA_IDS)[number]

/** A simulated WeChat user. */
export interface MockPersona {
  readonly id: MockPersonaId
  readonly nickname: string
  /** One line for the consent page and the scenario panel. */
  readonly description: string
  /** `false`: `headimgurl` is `""`, as WeChat sends for users without an avatar. */
  readonly hasAvatar: boolean
  /** `false`: no unionid. */
  readonly hasUnionid: boolean
  /** Follows the Official Account (`GET /api/me/subscription` says so). */
  readonly subscribed: boolean
  /** Last follow time (s since epoch) and scene, as `cgi-bin/user/info` gives them. */
  readonly subscribeTime?: number
  readonly subscribeScene?: string
  /** A snapshot-page (快照页) visitor: every login of this persona is a read-only guest. */
  readonly snapshot: boolean
  /** Avatar background. */
  readonly color: string
}

/** The personas, in picker order. */
export const MOCK_PERSONAS: readonly MockPersona[] = [
  {
    id: 'alice',
    nickname: '陈小雨 Alice',
    description: '普通用户（有 UnionID）',
    hasAvatar: true,
    hasUnionid: true,
    subscribed: false,
    snapshot: false,
    color: '#4f8cc9',
  },
  {
    id: 'emoji',
    nickname: '🌸樱花酱🍡 Sakura ✨',
    description: '昵称含 emoji 和中文',
    hasAvatar: true,
    hasUnionid: true,
    subscribed: false,
    snapshot: false,
    color: '#e86a92',
  },
  {
    id: 'noavatar',
    nickname: '李雷',
    description: '没有头像（headimgurl 为空）',
    hasAvatar: false,
    hasUnionid: true,
    subscribed: false,
    snapshot: false,
    color: '#9e9e9e',
  },
  {
    id: 'nounion',
    nickname: '韩梅梅',
    description: '没有 UnionID',
    hasAvatar: true,
    hasUnionid: false,
    subscribed: false,
    snapshot: false,
    color: '#8e6fc7',
  },
  {
    id: 'follower',
    nickname: '老张',
    description: '已关注公众号',
    hasAvatar: true,
    hasUnionid: true,
    subscribed: true,
    subscribeTime: 1677650915,
    subscribeScene: 'ADD_SCENE_SEARCH',
    snapshot: false,
    color: '#07c160',
  },
  {
    id: 'snapshot',
    // Snapshot pages hand out virtual data: "头像、昵称、openId、unionId 均为虚拟账号数据".
    nickname: '微信用户',
    description: '快照页访客（虚拟身份）',
    hasAvatar: true,
    hasUnionid: true,
    subscribed: false,
    snapshot: true,
    color: '#c8c8c8',
  },
]

/** Is this one of {@link MOCK_PERSONA_IDS}? */
export function isMockPersonaId(value: unknown): value is MockPersonaId {
  return typeof value === 'string' && (MOCK_PERSONA_IDS as readonly string[]).includes(value)
}

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
