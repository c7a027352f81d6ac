/**
 * Route-level schema pieces shared by the route plugins, and the functions that turn records into the
 * shared DTOs. Response schemas are allowlists: a field not listed in @wxauth/shared never leaves.
 */
import Type from 'typebox'
import {
  CODE_HEADER,
  CODE_PATTERN,
  STATE_HEADER,
  STATE_PATTERN,
  type MeResponse,
  type SessionInfo,
  type WechatUser,
} from '@wxauth/shared'
import { ErrorBodySchema, MeResponseSchema, WechatUserSchema } from '@wxauth/shared/schemas'
import type { SessionRecord, UserRecord } from './stores/types.js'

/** `X-WeChat-Code` / `X-WeChat-State`, accepted by every `/api` business route (DESIGN.md §3 step 4). */
export const AuthHeadersSchema = Type.Object({
  [CODE_HEADER]: Type.Optional(
    Type.String({
      pattern: CODE_PATTERN.source,
      description: 'The code WeChat appended to redirect_uri; exchanged once.',
    }),
  ),
  [STATE_HEADER]: Type.Optional(
    Type.String({
      pattern: STATE_PATTERN.source,
      description: 'The state that came back with the code; must match the state cookie.',
    }),
  ),
})

/**
 * The shared MeResponseSchema with `user` spelled as a nullable object instead of `anyOf [user,
 * null]`: the same allowlist, but the serializer writes it directly instead of validating the user
 * against each branch first (GET /api/me is the benchmarked route).
 */
export const MeResponseSerializedSchema = Type.Unsafe<MeResponse>({
  ...MeResponseSchema,
  properties: {
    ...MeResponseSchema.properties,
    user: { ...withoutId(WechatUserSchema), type: ['object', 'null'] },
    session: withoutId(MeResponseSchema.properties.session),
  },
})

function withoutId<T extends object>(schema: T): Omit<T, '$id'> {
  const { $id: _id, ...rest } = schema as T & { $id?: string }
  return rest
}

/** Error responses of every route, for the OpenAPI description. */
export const errorResponses = {
  '4xx': ErrorBodySchema,
  '5xx': ErrorBodySchema,
}

/** The session cookie, for the OpenAPI description. */
export const sessionSecurity = [{ session: [] }]

/** A stored user as the SPA sees it. */
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

/** The session facts the SPA may know. */
export function toSessionInfo(session: SessionRecord): SessionInfo {
  return {
    scope: session.scope,
    snapshot: session.snapshot,
    expiresAt: new Date(session.expiresAt).toISOString(),
  }
}
