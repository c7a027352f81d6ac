/**
 * `/api/me/subscription`: does the signed-in user follow the Official Account? Answered from
 * `cgi-bin/user/info` (with the global token, which the client keeps: stable_token by default, one
 * fetch for any number of callers, 40001/42001 handled once), then kept per (appid, openid) for
 * SUBSCRIPTION_TTL in `stores.subscriptions`, so showing the follow card costs no WeChat call per
 * page view. Concurrent requests for one user share one upstream call. Snapshot-page guests have
 * only a virtual openid WeChat does not know: 403 SNAPSHOT_USER.
 * @see https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_userinfo
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type SubscriptionResponse } from '@wxauth/shared'
import { SubscriptionResponseSchema } from '@wxauth/shared/schemas'
import { type FollowerInfo } from '@wxauth/wechat'
import type { Config } from '../config.js'
import { AppError } from '../errors.js'
import { AuthHeadersSchema, errorResponses, sessionSecurity } from '../schemas.js'
import type { FollowerStatus } from '../stores/types.js'

export interface SubscriptionRoutesOptions {
  config: Config
}

/** The facts worth keeping from `cgi-bin/user/info` (`subscribe_time` is unix seconds). */
export function toFollowerStatus(info: FollowerInfo): FollowerStatus {
  if (info.subscribe !== 1) return { subscribed: false }
  const status: FollowerStatus = { subscribed: true }
  if (info.subscribe_time) status.subscribeTime = info.subscribe_time * 1000
  if (info.subscribe_scene) status.subscribeScene = info.subscribe_scene
  return status
}

/** The response: follower facts for a follower, the account's QR image (if any) for anyone else. */
export function toSubscriptionResponse(
  status: FollowerStatus,
  qrCodeUrl: string | null,
): SubscriptionResponse {
  if (!status.subscribed) {
    return qrCodeUrl === null ? { subscribed: false } : { subscribed: false, qrCodeUrl }
  }
  const out: SubscriptionResponse = { subscribed: true }
  if (status.subscribeTime !== undefined) {
    out.subscribeTime = new Date(status.subscribeTime).toISOString()
  }
  if (status.subscribeScene !== undefined) out.subscribeScene = status.subscribeScene
  return out
}

const subscriptionRoutes: FastifyPluginAsyncTypebox<SubscriptionRoutesOptions> = async (
  app,
  { config },
) => {
  app.addHook('preHandler', app.authenticate)
  const cache = app.stores.subscriptions
  const ttlMs = config.subscriptionTtlSeconds * 1000
  /** In-process single flight per user: a burst of requests makes one `user/info` call. */
  const inflight = new Map<string, Promise<FollowerStatus>>()

  async function fetchStatus(appid: string, openid: string): Promise<FollowerStatus> {
    const status = toFollowerStatus(await app.wechat.getFollowerInfo(openid, config.wechatLang))
    await cache.set(appid, openid, status, ttlMs)
    return status
  }

  async function followerStatus(appid: string, openid: string): Promise<FollowerStatus> {
    const cached = await cache.get(appid, openid)
    if (cached !== null) return cached
    const key = `${appid} ${openid}`
    let pending = inflight.get(key)
    if (!pending) {
      pending = fetchStatus(appid, openid).finally(() => inflight.delete(key))
      inflight.set(key, pending)
    }
    return pending
  }

  app.get(
    '/subscription',
    {
      preHandler: [app.requireNotSnapshot],
      schema: {
        tags: ['me'],
        summary:
          'Does the signed-in user follow the Official Account (cgi-bin/user/info, cached SUBSCRIPTION_TTL)?',
        headers: AuthHeadersSchema,
        security: sessionSecurity,
        response: { 200: SubscriptionResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { session } = request.auth!
      // Only snapshot guests lack an openid, and requireNotSnapshot has turned them away.
      if (session.openid === null) {
        throw new AppError('SNAPSHOT_USER', 'Snapshot-page visitors can look but not take part')
      }
      const status = await followerStatus(session.appid, session.openid)
      return toSubscriptionResponse(status, config.wechatAccountQrUrl)
    },
  )
}

export default subscriptionRoutes
