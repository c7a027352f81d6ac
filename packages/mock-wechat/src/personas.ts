/**
 * The test users (defined once, in `@wxauth/shared/personas`, with the front-end mock) and what the
 * simulator derives from them: openids per (persona, appid) like WeChat's, unionids per persona,
 * avatar URLs on the simulator itself.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsaccesstoken (openid, unionid)
 * @see https://developers.weixin.qq.com/community/develop/doc/000c2c34068880629ced91a2f56001 (snapshot pages)
 */
import { createHash } from 'node:crypto'
import { PERSONAS, type Persona, type PersonaId } from '@wxauth/shared/personas'

export { PERSONA_IDS, PERSONAS, isPersonaId } from '@wxauth/shared/personas'
export type { Persona, PersonaId } from '@wxauth/shared/personas'

const BY_ID = new Map<string, Persona>(PERSONAS.map((p) => [p.id, p]))

/** The persona with this id (ids are a closed set). */
export function getPersona(id: PersonaId): Persona {
  const persona = BY_ID.get(id)
  if (!persona) throw new Error(`unknown persona ${id}`)
  return persona
}

/** `o` + 27 chars of base64url (`[A-Za-z0-9_-]`): 28 chars, like `o6_bmjrPTlm6_2sgVt7hMZOPfL2M`. */
function wechatStyleId(seed: string): string {
  return 'o' + createHash('sha256').update(seed).digest('base64url').slice(0, 27)
}

/**
 * The persona's openid for an app: stable across restarts, different per app (an openid is per
 * Official Account). The snapshot persona's is a virtual one no real persona ever has.
 */
export function openidFor(persona: PersonaId, appid: string): string {
  return persona === 'snapshot'
    ? wechatStyleId(`snapshot-virtual-openid\u0000${appid}`)
    : wechatStyleId(`openid\u0000${appid}\u0000${persona}`)
}

/** The persona's unionid (one per Open Platform account, so the same for every app), if any. */
export function unionidFor(persona: PersonaId): string | undefined {
  if (!getPersona(persona).hasUnionid) return undefined
  return persona === 'snapshot'
    ? wechatStyleId('snapshot-virtual-unionid')
    : wechatStyleId(`unionid\u0000${persona}`)
}

/** The persona whose openid for `appid` this is. */
export function personaByOpenid(openid: string, appid: string): Persona | undefined {
  return PERSONAS.find((p) => openidFor(p.id, appid) === openid)
}

/**
 * Avatar sizes WeChat serves: the last path segment of `headimgurl` (0 means 640×640).
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsuserinfo.html
 */
export const AVATAR_SIZES = [0, 46, 64, 96, 132] as const

/**
 * `headimgurl` for a persona, served by the simulator itself at `origin` (as the caller reached
 * it), shaped like `https://thirdwx.qlogo.cn/mmopen/<id>/132` so resizing by replacing the last
 * segment works. `""` for a persona without an avatar.
 */
export function headimgurlFor(persona: Persona, origin: string): string {
  return persona.hasAvatar ? `${origin}/mmopen/${persona.id}/132` : ''
}
