/**
 * The global-token side of api.weixin.qq.com: `/cgi-bin/token`, `/cgi-bin/stable_token`,
 * `/cgi-bin/user/info`, `/cgi-bin/ticket/getticket`.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { MockApp } from '../apps.js'
import type { CallSubject } from '../call-filter.js'
import type { MockContext } from '../context.js'
import { wechatError, type WechatErrorBody } from '../errors.js'
import { personaByOpenid } from '../personas.js'
import { TICKET_TYPES, type TicketType } from '../state.js'
import { acceptAnyBody, answerApi, clientIp, queryParams } from './api-reply.js'
import { identityFor } from './sns.js'

function secondsLeft(expiresAt: number, now: number): number {
  return Math.max(0, Math.floor((expiresAt - now) / 1000))
}

/**
 * The AppSecret checks shared by both token endpoints: unknown appid 40013, wrong secret 40125,
 * caller outside the app's IP whitelist 40164.
 * @see https://developers.weixin.qq.com/doc/oplatform/developers/basic_func/ip_whitelist.md
 */
function checkCredentials(
  ctx: MockContext,
  request: FastifyRequest,
  appid: string,
  secret: string,
): { app: MockApp } | WechatErrorBody {
  const app = ctx.apps.get(appid)
  if (!app) return wechatError(40013)
  if (app.secret !== secret) return wechatError(40125)
  const ip = clientIp(request)
  if (
    app.ipWhitelist &&
    !app.ipWhitelist.some((allowed) => allowed.replace(/^::ffff:/i, '') === ip)
  ) {
    return wechatError(40164, { ip })
  }
  return { app }
}

/**
 * `stable_token` is "仅支持 POST JSON": a form or empty body reads as no parameters (an observed
 * misuse answered 41002), broken JSON is 47001 data format error.
 * @see https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken
 */
function readJsonBody(body: unknown): Record<string, unknown> | 'malformed' {
  if (typeof body !== 'string' || body.trim() === '') return {}
  try {
    const parsed: unknown = JSON.parse(body)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : 'malformed'
  } catch {
    return /^\s*[[{]/.test(body) ? 'malformed' : {}
  }
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** The cgi-bin routes of one simulator. */
export function cgiBinRoutes(ctx: MockContext): FastifyPluginAsync {
  return async (app) => {
    acceptAnyBody(app)

    /** The global token a `cgi-bin/*` call carries: 41001 if missing, else its check. */
    const globalToken = (q: Record<string, string>, now: number) => {
      if (!q.access_token) return { ok: false as const, errcode: 41001 }
      return ctx.state.checkGlobalToken(q.access_token, now)
    }

    /** Who a call carrying a global token is about: the token's app (and the openid it names). */
    const tokenSubject = (q: Record<string, string>): CallSubject => {
      const record = q.access_token ? ctx.state.globalTokenRecord(q.access_token) : undefined
      const subject: CallSubject = {}
      if (record) subject.appid = record.appid
      if (q.openid) subject.openid = q.openid
      return subject
    }

    app.route({
      method: ['GET', 'POST'],
      url: '/cgi-bin/token',
      handler: (request, reply) => {
        const q = queryParams(request)
        return answerApi(ctx, request, reply, {
          endpoint: 'cgi-bin/token',
          flavor: 'cgi-bin',
          params: q,
          subject: q.appid ? { appid: q.appid } : {},
          handle: (now) => {
            if (request.method !== 'GET') return wechatError(43001)
            if (!q.appid) return wechatError(41002)
            if (!q.secret) return wechatError(41004)
            if (q.grant_type !== 'client_credential') return wechatError(40002)
            const checked = checkCredentials(ctx, request, q.appid, q.secret)
            if ('errcode' in checked) return checked
            if (!ctx.state.takeQuota('token', checked.app.appid, now)) return wechatError(45009)
            const token = ctx.state.issueGlobalToken(checked.app.appid, now)
            // @see https://developers.weixin.qq.com/doc/service/api/base/api_getaccesstoken
            return { access_token: token.value, expires_in: secondsLeft(token.expiresAt, now) }
          },
        })
      },
    })

    app.route({
      method: ['GET', 'POST'],
      url: '/cgi-bin/stable_token',
      handler: (request, reply) => {
        const body = request.method === 'POST' ? readJsonBody(request.body) : {}
        const params: Record<string, string> = {}
        if (body !== 'malformed') {
          for (const [name, value] of Object.entries(body)) params[name] = String(value)
        }
        return answerApi(ctx, request, reply, {
          endpoint: 'cgi-bin/stable_token',
          flavor: 'cgi-bin',
          params,
          subject: params.appid ? { appid: params.appid } : {},
          handle: (now) => {
            if (request.method !== 'POST') return wechatError(43002)
            if (body === 'malformed') return wechatError(47001)
            const appid = stringField(body, 'appid')
            const secret = stringField(body, 'secret')
            if (!appid) return wechatError(41002)
            if (!secret) return wechatError(41004)
            if (body.grant_type !== 'client_credential') return wechatError(40002)
            const checked = checkCredentials(ctx, request, appid, secret)
            if ('errcode' in checked) return checked
            if (!ctx.state.takeQuota('stableToken', appid, now)) return wechatError(45009)
            const result = ctx.state.stableToken(appid, body.force_refresh === true, now)
            if (!result.ok) return wechatError(result.errcode)
            return {
              access_token: result.value.value,
              expires_in: secondsLeft(result.value.expiresAt, now),
            }
          },
        })
      },
    })

    app.get('/cgi-bin/user/info', (request, reply) => {
      const q = queryParams(request)
      return answerApi(ctx, request, reply, {
        endpoint: 'cgi-bin/user/info',
        flavor: 'cgi-bin',
        params: q,
        subject: tokenSubject(q),
        handle: (now) => {
          const token = globalToken(q, now)
          if (!token.ok) return wechatError(token.errcode)
          if (!q.openid) return wechatError(41009)
          if (!ctx.state.takeQuota('userInfo', token.value.appid, now)) return wechatError(45009)
          const mockApp = ctx.apps.get(token.value.appid)
          const persona = personaByOpenid(q.openid, token.value.appid)
          // A virtual snapshot identity is nobody the account knows.
          if (!mockApp || !persona || persona.snapshot) return wechatError(40003)
          // Since 2021-12-27 no nickname or avatar; a non-follower carries almost nothing. Shapes
          // copied from real 2023 and 2025 responses
          // (https://developers.weixin.qq.com/community/develop/doc/000e6e4ce14ed88ef85d1f1435b400,
          // https://developers.weixin.qq.com/community/develop/doc/000c6a3a7f8a28643e643d0226b000).
          // @see https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_userinfo
          if (!persona.subscribed) {
            return {
              subscribe: 0,
              openid: q.openid,
              nickname: '',
              sex: 0,
              language: 'zh_CN',
              city: '',
              province: '',
              country: '',
              headimgurl: '',
              tagid_list: [],
            }
          }
          const { unionid } = identityFor(mockApp, persona.id)
          return {
            subscribe: 1,
            openid: q.openid,
            nickname: '',
            sex: 0,
            language: 'zh_CN',
            city: '',
            province: '',
            country: '',
            headimgurl: '',
            subscribe_time: persona.subscribeTime ?? 0,
            ...(unionid === undefined ? {} : { unionid }),
            remark: '',
            groupid: 0,
            tagid_list: [],
            subscribe_scene: persona.subscribeScene ?? 'ADD_SCENE_OTHERS',
            qr_scene: 0,
            qr_scene_str: '',
          }
        },
      })
    })

    app.get('/cgi-bin/ticket/getticket', (request, reply) => {
      const q = queryParams(request)
      return answerApi(ctx, request, reply, {
        endpoint: 'cgi-bin/ticket/getticket',
        flavor: 'cgi-bin',
        params: q,
        subject: tokenSubject(q),
        handle: (now) => {
          const token = globalToken(q, now)
          if (!token.ok) return wechatError(token.errcode)
          // `jsapi` (JS-SDK config) and `wx_card` (the card JS API's api_ticket) are the documented
          // types; anything else gets 40097 invalid args.
          if (!(TICKET_TYPES as readonly string[]).includes(q.type ?? '')) {
            return wechatError(40097)
          }
          const ticket = ctx.state.ticket(token.value.appid, q.type as TicketType, now)
          // This endpoint's success body does carry errcode 0, for both types.
          // @see https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/JS-SDK.html
          return {
            errcode: 0,
            errmsg: 'ok',
            ticket: ticket.ticket,
            expires_in: secondsLeft(ticket.expiresAt, now),
          }
        },
      })
    })
  }
}
