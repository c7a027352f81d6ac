/**
 * The BFF's HTTP DTOs (docs/architecture.md#the-http-api). Response schemas are allowlists: a field that is not listed
 * here cannot reach the browser, so no token or secret can leak by accident.
 */
import Type, { type Static } from 'typebox'
import { ScopeSchema } from './scope.js'
import { CodeSchema, StateSchema } from './auth.js'

/** A user as the SPA sees it: WeChat's profile fields plus the app's own. Never a token. */
export const WechatUserSchema = Type.Object(
  {
    id: Type.Integer(),
    openid: Type.String(),
    unionid: Type.Optional(Type.String()),
    nickname: Type.String(),
    headimgurl: Type.String(),
    sex: Type.Integer(),
    province: Type.String(),
    city: Type.String(),
    country: Type.String(),
    privilege: Type.Array(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'WechatUser' },
)
export type WechatUser = Static<typeof WechatUserSchema>

/**
 * `WechatUser | null` as one nullable object (`type: ["object", "null"]`) rather than an `anyOf` of
 * two: the same allowlist, and a serializer writes it directly instead of trying each branch.
 */
const { $id: _userId, ...userFields } = WechatUserSchema as typeof WechatUserSchema & {
  $id?: string
}
export const NullableWechatUserSchema = Type.Unsafe<WechatUser | null>({
  ...userFields,
  type: ['object', 'null'],
})

/** Facts about the current session. */
export const SessionInfoSchema = Type.Object(
  {
    scope: ScopeSchema,
    /** A snapshot-page (快照页) guest: read-only, never stored as a user. */
    snapshot: Type.Boolean(),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'SessionInfo' },
)
export type SessionInfo = Static<typeof SessionInfoSchema>

/**
 * `GET /api/me`, `POST /api/auth/session`. `user` is null for a session with no stored profile:
 * a first `snsapi_base` login or a snapshot guest.
 */
export const MeResponseSchema = Type.Object({
  user: NullableWechatUserSchema,
  session: SessionInfoSchema,
})
export type MeResponse = Static<typeof MeResponseSchema>

/** `POST /api/me/refresh` */
export const RefreshResponseSchema = Type.Object({ user: WechatUserSchema })
export type RefreshResponse = Static<typeof RefreshResponseSchema>

/** `GET /api/auth/authorize-url` query. */
export const AuthorizeUrlQuerySchema = Type.Object({
  /** Same-origin relative path to come back to, e.g. `/me?tab=1`. */
  returnTo: Type.Optional(
    Type.String({
      default: '/',
      minLength: 1,
      maxLength: 1024,
      description:
        'Where WeChat sends the browser back: a same-origin relative path (no scheme, no `//`).',
      examples: ['/activity?from=share'],
    }),
  ),
  scope: Type.Optional({
    ...ScopeSchema,
    description:
      '`snsapi_base` (default): silent, the openid only. `snsapi_userinfo`: a consent page, then the profile.',
  }),
})
export type AuthorizeUrlQuery = Static<typeof AuthorizeUrlQuerySchema>

/** `GET /api/auth/authorize-url` */
export const AuthorizeUrlResponseSchema = Type.Object({
  url: Type.String({
    description: "WeChat's authorize URL: send the browser there",
    examples: [
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx5f3c1a9e2b7d4f60&redirect_uri=https%3A%2F%2Fh5.example.com%2F&response_type=code&scope=snsapi_base&state=Q2ZrX0t4U2p0bE9aYzVvRkN6a2JQdGhR#wechat_redirect',
    ],
  }),
  state: Type.String({
    description: 'The state the URL carries, also kept in the signed state cookie',
    examples: ['Q2ZrX0t4U2p0bE9aYzVvRkN6a2JQdGhR'],
  }),
})
export type AuthorizeUrlResponse = Static<typeof AuthorizeUrlResponseSchema>

/** `POST /api/auth/session` body. */
export const SessionRequestSchema = Type.Object(
  { code: CodeSchema, state: StateSchema },
  {
    description:
      'What WeChat appended to redirect_uri. Send it with the state cookie of this browser.',
  },
)
export type SessionRequest = Static<typeof SessionRequestSchema>

/**
 * `GET /api/me/subscription`: does the signed-in user follow the Official Account
 * (`cgi-bin/user/info`)? `subscribeTime` and `subscribeScene` only for a follower; `qrCodeUrl` (the
 * account's QR image, from the BFF's `WECHAT_ACCOUNT_QR_URL`) only for a non-follower, when
 * configured.
 * @see https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_userinfo
 */
export const SubscriptionResponseSchema = Type.Object({
  subscribed: Type.Boolean(),
  /** The last time the user followed (WeChat's `subscribe_time`), ISO 8601. */
  subscribeTime: Type.Optional(Type.String({ format: 'date-time' })),
  /** How the user came to follow, e.g. `ADD_SCENE_QR_CODE` (WeChat's `subscribe_scene`). */
  subscribeScene: Type.Optional(Type.String()),
  /** The account's QR image to show a non-follower. */
  qrCodeUrl: Type.Optional(Type.String()),
})
export type SubscriptionResponse = Static<typeof SubscriptionResponseSchema>

/**
 * `GET /api/jssdk/config` query: the page URL to sign, exactly as the page has it, without the
 * `#fragment` (WeChat signs `location.href.split('#')[0]`).
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/jssdk.html (附录1)
 */
export const JssdkConfigQuerySchema = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2048 }),
})
export type JssdkConfigQuery = Static<typeof JssdkConfigQuerySchema>

/** `GET /api/jssdk/config`: what `wx.config` needs besides `jsApiList`. Never the ticket. */
export const JssdkConfigResponseSchema = Type.Object({
  appId: Type.String(),
  /** Unix seconds. */
  timestamp: Type.Integer(),
  nonceStr: Type.String(),
  /** sha1 hex over `jsapi_ticket=…&noncestr=…&timestamp=…&url=…`. */
  signature: Type.String(),
})
export type JssdkConfigResponse = Static<typeof JssdkConfigResponseSchema>
