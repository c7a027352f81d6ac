/**
 * The test users of the WeChat simulator (`@wxauth/mock-wechat`) and of the front-end mock
 * (`@wxauth/vue/mock`), defined once: their ids are part of the contract (the BFF's tests and the
 * SPA's e2e tests pick them by id), their traits are the cases a WeChat login has to handle. Plain
 * data, so the browser-side mock needs neither the simulator nor a network; each side derives its
 * own ids and avatars from it.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsaccesstoken (openid, unionid)
 * @see https://developers.weixin.qq.com/community/develop/doc/000c2c34068880629ced91a2f56001 (snapshot pages)
 */

export const PERSONA_IDS = [
  'alice',
  'emoji',
  'noavatar',
  'nounion',
  'follower',
  'snapshot',
] as const
export type PersonaId = (typeof PERSONA_IDS)[number]

/** A simulated WeChat user. */
export interface Persona {
  readonly id: PersonaId
  readonly nickname: string
  /** One line for the consent page's picker, the simulator's control page and the mock's panel. */
  readonly description: string
  /** `false`: `headimgurl` is `""`, as WeChat sends for users without an avatar. */
  readonly hasAvatar: boolean
  /** `false`: no unionid even when the account is bound to the Open Platform. */
  readonly hasUnionid: boolean
  /**
   * Follows the account: `snsapi_userinfo` is silent ("对于已关注公众号的用户…也是静默授权") and
   * `cgi-bin/user/info` answers `subscribe: 1`.
   */
  readonly subscribed: boolean
  /** Last follow time (s since epoch) and scene, for `cgi-bin/user/info`. */
  readonly subscribeTime?: number
  readonly subscribeScene?: string
  /** A snapshot-page (快照页) visitor: virtual identity, `is_snapshotuser: 1`, userinfo 48001. */
  readonly snapshot: boolean
  /** Avatar background. */
  readonly color: string
}

/** The personas, in picker order. */
export const PERSONAS: readonly Persona[] = [
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
    description: '已关注公众号（静默授权）',
    hasAvatar: true,
    hasUnionid: true,
    subscribed: true,
    // 2023-03-01 08:08:35 +08:00, the follow time in a real 2023 user/info sample.
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

/** Is this one of {@link PERSONA_IDS}? */
export function isPersonaId(id: unknown): id is PersonaId {
  return typeof id === 'string' && (PERSONA_IDS as readonly string[]).includes(id)
}
