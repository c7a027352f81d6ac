/**
 * Shapes WeChat itself sends: every response is checked against these before use, so a changed or
 * garbled body is a clear `WechatResponseError`, never an `undefined` deep in the login. Field notes
 * link the official pages; docs/wechat.md summarises them.
 */
import Type, { type Static } from 'typebox'

/**
 * `sns/userinfo` success body. Since 2021-10-20 `sex` is always 0 and the region fields are empty,
 * `headimgurl` is `""` for users without an avatar, `unionid` exists only for accounts bound to the
 * Open Platform, and `language` appears on some responses.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsuserinfo.html
 */
export const WechatUserInfoSchema = Type.Object({
  openid: Type.String({ minLength: 1, maxLength: 128 }),
  nickname: Type.String({ maxLength: 256 }),
  sex: Type.Integer({ minimum: 0, maximum: 2 }),
  province: Type.String(),
  city: Type.String(),
  country: Type.String(),
  headimgurl: Type.String({ maxLength: 2048 }),
  privilege: Type.Array(Type.String()),
  unionid: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  language: Type.Optional(Type.String()),
})
export type WechatUserInfo = Static<typeof WechatUserInfoSchema>

/**
 * `sns/oauth2/access_token` (and, without `is_snapshotuser`/`unionid`, `sns/oauth2/refresh_token`)
 * success body. `scope` is comma-separated ("snsapi_base,snsapi_userinfo," has been seen).
 * `is_snapshotuser: 1` marks a snapshot-page (快照页) virtual account.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsaccesstoken
 */
export const WebTokenResponseSchema = Type.Object({
  access_token: Type.String({ minLength: 1 }),
  expires_in: Type.Integer({ minimum: 1 }),
  refresh_token: Type.String({ minLength: 1 }),
  openid: Type.String({ minLength: 1, maxLength: 128 }),
  scope: Type.String(),
  is_snapshotuser: Type.Optional(Type.Integer()),
  unionid: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
})
export type WebTokenResponse = Static<typeof WebTokenResponseSchema>

/**
 * `cgi-bin/token` and `cgi-bin/stable_token` success body.
 * @see https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken
 */
export const GlobalTokenResponseSchema = Type.Object({
  access_token: Type.String({ minLength: 1 }),
  expires_in: Type.Integer({ minimum: 1 }),
})
export type GlobalTokenResponse = Static<typeof GlobalTokenResponseSchema>

/**
 * `cgi-bin/user/info` success body (follower facts). After 2021-12-27 nickname and avatar are
 * empty; a non-follower (`subscribe: 0`) carries almost nothing else.
 * @see https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_userinfo
 */
export const FollowerInfoSchema = Type.Object({
  subscribe: Type.Integer({ minimum: 0, maximum: 1 }),
  openid: Type.String({ minLength: 1 }),
  unionid: Type.Optional(Type.String()),
  subscribe_time: Type.Optional(Type.Integer()),
  subscribe_scene: Type.Optional(Type.String()),
  language: Type.Optional(Type.String()),
  remark: Type.Optional(Type.String()),
  tagid_list: Type.Optional(Type.Array(Type.Integer())),
})
export type FollowerInfo = Static<typeof FollowerInfoSchema>

/**
 * `cgi-bin/ticket/getticket?type=jsapi` success body (it does carry `errcode: 0`).
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/jssdk.html
 */
export const JsapiTicketResponseSchema = Type.Object({
  ticket: Type.String({ minLength: 1 }),
  expires_in: Type.Integer({ minimum: 1 }),
})
export type JsapiTicketResponse = Static<typeof JsapiTicketResponseSchema>

/** Does a (comma-separated) granted scope string include `snsapi_userinfo`? */
export function grantsUserinfo(scope: string): boolean {
  return scope.split(',').some((s) => s.trim() === 'snsapi_userinfo')
}
