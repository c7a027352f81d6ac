/**
 * The two web-auth scopes, schema-free (the schema is `ScopeSchema` in `@wxauth/shared/schemas`).
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 */
export type { Scope } from './schemas/scope.js'
import type { Scope } from './schemas/scope.js'

export const SCOPES: readonly Scope[] = ['snsapi_base', 'snsapi_userinfo']
