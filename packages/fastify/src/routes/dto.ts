/**
 * Stored records → the shared DTOs the API answers with. Response schemas are allowlists (a field
 * not listed in @wxauth/shared/schemas never leaves), and these functions copy field by field, so a
 * token cannot ride along by accident.
 */
import type { SessionInfo, WechatUser } from '@wxauth/shared'
import type { SessionRecord, UserRecord } from '../stores/repositories.js'

/** A stored user as the client sees it. */
export function toWechatUser(user: UserRecord): WechatUser {
  const out: WechatUser = {
    id: user.id,
    openid: user.openid,
    nickname: user.nickname,
    headimgurl: user.headimgurl,
    sex: user.sex,
    province: user.province,
    city: user.city,
    country: user.country,
    privilege: user.privilege,
    createdAt: new Date(user.createdAt).toISOString(),
  }
  if (user.unionid) out.unionid = user.unionid
  return out
}

/** The session facts the client may know. */
export function toSessionInfo(session: SessionRecord): SessionInfo {
  return {
    scope: session.scope,
    snapshot: session.snapshot,
    expiresAt: new Date(session.expiresAt).toISOString(),
  }
}
