/**
 * What the simulated api.weixin.qq.com answers for a path or method it does not serve: WeChat's
 * shape, never a framework's 404 page, since clients parse every body as JSON. A known path with
 * the wrong method gets 43001 "require GET method" (43002 for the POST-only `stable_token`); any
 * other path gets 40066 "invalid url" ("请检查API的URL是否与文档一致"). HTTP 200, like every WeChat
 * error.
 * @see https://developers.weixin.qq.com/doc/store/API/basics/commErrCode.html
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { MockContext } from '../context.js'
import { wechatError } from '../errors.js'
import { isEndpoint } from '../faults.js'
import { clientIp, queryParams, sendWechatJson, type ApiFlavor } from './api-reply.js'

/** The not-found handler of one simulator. */
export function unknownRouteHandler(ctx: MockContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const path = (request.raw.url ?? '/').split('?')[0]?.replace(/^\/+/, '') ?? ''
    const flavor: ApiFlavor = path.startsWith('sns/') ? 'sns' : 'cgi-bin'
    const errcode = isEndpoint(path) ? (path === 'cgi-bin/stable_token' ? 43002 : 43001) : 40066
    // Calls to WeChat's API paths are logged (a client calling an endpoint the simulator lacks
    // shows up in /__mock/calls); stray browser requests such as /favicon.ico are not.
    if (path.startsWith('sns/') || path.startsWith('cgi-bin/')) {
      const params = queryParams(request)
      const namespace = ctx.namespaces.forApp(params.appid)
      const call = namespace.calls.record(path, request.method, params, namespace.clock.now())
      call.errcode = errcode
    }
    return sendWechatJson(reply, flavor, wechatError(errcode, { ip: clientIp(request), flavor }))
  }
}
