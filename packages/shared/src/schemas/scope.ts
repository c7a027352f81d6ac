/**
 * The two web-auth scopes: `snsapi_base` (silent, openid only) and `snsapi_userinfo` (a consent
 * page, then the profile).
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 */
import Type, { type Static } from 'typebox'

export const ScopeSchema = Type.Union([
  Type.Literal('snsapi_base'),
  Type.Literal('snsapi_userinfo'),
])
export type Scope = Static<typeof ScopeSchema>
