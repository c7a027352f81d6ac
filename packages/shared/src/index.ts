/**
 * `@wxauth/shared`: the contract between the SPA, the BFF and the simulator, schema-free: types,
 * error codes and small pure helpers that run in the browser and in Node alike. The TypeBox schemas
 * are under `@wxauth/shared/schemas`.
 */
export * from './errors.js'
export * from './scope.js'
export * from './auth-params.js'
export * from './profile.js'
export * from './wechat-browser.js'
export type {
  AuthorizeUrlQuery,
  AuthorizeUrlResponse,
  JssdkConfigQuery,
  JssdkConfigResponse,
  MeResponse,
  RefreshResponse,
  SessionInfo,
  SessionRequest,
  SubscriptionResponse,
  WechatUser,
} from './schemas/api.js'
export type { ActivityResponse, JoinResponse, Participant } from './schemas/activity.js'
