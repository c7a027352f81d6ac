/**
 * The user behind a web token, keyed by (appid, openid), unionid kept. `sns/userinfo` is called only
 * when the grant allows it and the user is new or the stored profile is older than `profileTtl`;
 * WeChat is always called before anything is written.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsuserinfo.html
 */
import type { Scope } from '@wxauth/shared'
import type { WebToken, WechatUserInfo } from '@wxauth/wechat'
import type { UserProfile, UserRecord } from '../stores/repositories.js'
import type { LoginDeps } from './deps.js'

/**
 * The stored profile from `sns/userinfo` for the openid we asked about; a unionid learnt earlier
 * (the exchange response, or the session) fills in when userinfo has none.
 */
export function toProfile(
  openid: string,
  info: WechatUserInfo,
  knownUnionid: string | undefined,
): UserProfile {
  return {
    openid,
    unionid: info.unionid ?? knownUnionid,
    nickname: info.nickname,
    headimgurl: info.headimgurl,
    sex: info.sex,
    province: info.province,
    city: info.city,
    country: info.country,
    privilege: info.privilege,
  }
}

/**
 * The user behind a fresh (non-snapshot) token: `snsapi_base` → whatever is stored;
 * `snsapi_userinfo` → `sns/userinfo` when the user is new or the profile is stale, then upsert.
 */
export async function resolveUser(
  deps: LoginDeps,
  token: WebToken,
  scope: Scope,
): Promise<UserRecord | null> {
  const { repositories, settings, wechat, now } = deps
  const existing = await repositories.users.findByOpenid(settings.appId, token.openid)
  const fresh = existing !== null && now() - existing.profileUpdatedAt < settings.profileTtlMs
  if (scope === 'snsapi_base' || (existing && fresh)) {
    if (existing && token.unionid && !existing.unionid) {
      await repositories.users.setUnionidIfMissing(existing.id, token.unionid)
      return { ...existing, unionid: token.unionid }
    }
    return existing
  }
  const info = await wechat.getUserInfo(token.access_token, token.openid, settings.lang)
  return repositories.users.upsertProfile(
    settings.appId,
    toProfile(token.openid, info, token.unionid),
    now(),
  )
}
