/**
 * `/api/jssdk/config`: what `wx.config` needs to use the JS-SDK on a page of this site: `appId`,
 * `timestamp`, `nonceStr` and the sha1 `signature` over the cached `jsapi_ticket` (7200 s, fetched
 * once for any number of callers with the global token) and the page URL. The ticket itself never
 * leaves the BFF.
 *
 * No session needed: the signature only proves the page is ours (its URL is checked against
 * publicUrl's origin), it carries nothing about the visitor, and an anonymous page, or one a
 * snapshot guest sees, may legitimately set its share card. It costs no WeChat call per request
 * (the ticket is cached), so it needs no rate limit of its own.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/jssdk.html (附录1-JS-SDK使用权限签名算法)
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { JssdkConfigQuerySchema, JssdkConfigResponseSchema } from '@wxauth/shared/schemas'
import { signJssdkConfig } from '@wxauth/wechat'
import type { PluginContext } from '../context.js'
import { ApiError } from '../errors/api-error.js'
import { noStore } from '../http/no-store.js'
import { withRequestLog } from '../http/request-context.js'
import { pageUrlProblem } from '../login/page-url.js'
import { ROUTE_ERRORS, errorResponses, success } from './schemas.js'

const jssdkRoutes: FastifyPluginAsyncTypebox<{ ctx: PluginContext }> = async (app, { ctx }) => {
  const { settings, wechat } = ctx
  const origin = new URL(settings.publicUrl).origin
  // A fresh nonce and timestamp each time: never cached.
  app.addHook('onRequest', noStore)

  app.get(
    '/config',
    {
      schema: {
        tags: ['jssdk'],
        summary: 'A wx.config signature for a page of this site',
        description:
          '`url` is the page as the browser has it, without the `#fragment` (on iOS, the URL the page ' +
          'was entered with). No session needed; the jsapi ticket is cached and never sent.',
        querystring: JssdkConfigQuerySchema,
        response: {
          200: success(JssdkConfigResponseSchema, 'What wx.config needs besides jsApiList'),
          ...errorResponses(ROUTE_ERRORS.jssdk),
        },
      },
    },
    async (request) => {
      const { url } = request.query
      const problem = pageUrlProblem(url, origin)
      if (problem !== null) throw new ApiError('VALIDATION_ERROR', problem)
      const ticket = await withRequestLog(request.log, () => wechat.getJsapiTicket())
      const signed = signJssdkConfig(ticket, url, { timestamp: Math.floor(settings.now() / 1000) })
      return {
        appId: settings.appId,
        timestamp: signed.timestamp,
        nonceStr: signed.nonceStr,
        signature: signed.signature,
      }
    },
  )
}

export default jssdkRoutes
