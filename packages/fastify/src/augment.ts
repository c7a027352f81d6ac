/**
 * What registering the plugin adds to Fastify's types, shipped with the package so
 * `request.wechatUser` is typed in the adopter's app.
 */
import type { WechatUser } from '@wxauth/shared'
import type { WechatAuth } from './decorator.js'
import type { WechatSession } from './http/request-types.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The login: hooks to protect routes, the database, readiness. */
    wechatAuth: WechatAuth
  }
  interface FastifyRequest {
    /** Set by `requireUser` / `requireProfile`; null before either ran. */
    wechatSession: WechatSession | null
    /** The stored profile; null while none is stored, for a snapshot guest, or before a hook ran. */
    wechatUser: WechatUser | null
  }
}
