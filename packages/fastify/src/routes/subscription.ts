/**
 * `/api/me/subscription`: does the signed-in user follow the Official Account? Answered from
 * `cgi-bin/user/info` (with the global token, which the client keeps: stable_token by default, one
 * fetch for any number of callers, 40001/42001 handled once), then kept per (appid, openid) for
 * `subscription.ttl` in `coordination.subscriptions`, so showing the follow card costs no WeChat call per
 * page view. Concurrent requests for one user share one upstream call. Snapshot-page guests have
 * only a virtual openid WeChat does not know: 403 SNAPSHOT_USER.
 * @see https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_userinfo
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger } from 'fastify'
import type { SubscriptionResponse } from '@wxauth/shared'
import { SubscriptionResponseSchema } from '@wxauth/shared/schemas'
import type { FollowerInfo } from '@wxauth/wechat'
import type { PluginContext } from '../context.js'
import { withRequestLog } from '../http/request-context.js'
import type { FollowerStatus } from '../stores/coordination.js'
import { singleFlight } from '../util/single-flight.js'
import {
  AuthHeadersSchema,
  ROUTE_ERRORS,
  errorResponses,
  sessionSecurity,
  success,
} from './schemas.js'

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

const subscriptionRoutes: FastifyPluginAsyncTypebox<{
  ctx: PluginContext
  ttlMs: number
  accountQrUrl: string | null
}> = async (app, { ctx, ttlMs, accountQrUrl }) => {
  const { hooks, wechat, settings } = ctx
  const cache = ctx.stores.coordination.subscriptions
  /** A burst of requests for one user makes one `user/info` call. */
  const inflight = singleFlight<FollowerStatus>()

  async function fetchStatus(appid: string, openid: string): Promise<FollowerStatus> {
    const status = toFollowerStatus(await wechat.getFollowerInfo(openid, settings.lang))
    await cache.set(appid, openid, status, ttlMs)
    return status
  }

  async function followerStatus(
    appid: string,
    openid: string,
    log: FastifyBaseLogger,
  ): Promise<FollowerStatus> {
    const cached = await cache.get(appid, openid)
    if (cached !== null) return cached
    return inflight.run(`${appid} ${openid}`, () =>
      withRequestLog(log, () => fetchStatus(appid, openid)),
    )
  }

  app.get(
    '/subscription',
    {
      preHandler: hooks.requireWechatIdentity,
      schema: {
        tags: ['me'],
        summary: 'Does the signed-in user follow the Official Account?',
        description:
          'From `cgi-bin/user/info` with the account token, kept per user for `subscriptionTtl`. A ' +
          'follower gets the follow time and scene; anyone else the account QR image, when configured. ' +
          'Snapshot-page guests have no real openid: 403 `SNAPSHOT_USER`.',
        headers: AuthHeadersSchema,
        security: sessionSecurity,
        response: {
          200: success(SubscriptionResponseSchema, 'Follower status'),
          ...errorResponses(ROUTE_ERRORS.subscription),
        },
      },
    },
    async (request) => {
      const { session } = hooks.viewOf(request).auth
      // requireWechatIdentity turned snapshot guests (the only sessions without an openid) away.
      const status = await followerStatus(session.appid, session.openid!, request.log)
      return toSubscriptionResponse(status, accountQrUrl)
    },
  )
}

export default subscriptionRoutes
