/**
 * The web-auth API on api.weixin.qq.com: `/sns/oauth2/access_token`, `/sns/oauth2/refresh_token`,
 * `/sns/userinfo`, `/sns/auth`. GET and POST are both accepted with parameters in the query string
 * (the FastWeGo SDK POSTs them: https://github.com/fastwego/offiaccount, `apis/oauth/oauth.go`).
 */
import type { FastifyPluginAsync } from 'fastify'
import type { MockApp } from '../apps.js'
import type { CallSubject } from '../call-filter.js'
import type { MockContext } from '../context.js'
import { wechatError } from '../errors.js'
import { getPersona, headimgurlFor, openidFor, unionidFor, type PersonaId } from '../personas.js'
import type { WebTokenRecord } from '../state.js'
import { acceptAnyBody, answerApi, originOf, queryParams } from './api-reply.js'

/** Who a persona is to one app: its openid, its unionid if the app is bound to the Open Platform. */
export function identityFor(
  app: MockApp,
  persona: PersonaId,
): { openid: string; unionid?: string; snapshot: boolean } {
  const unionid = app.boundToOpenPlatform === false ? undefined : unionidFor(persona)
  const who: { openid: string; unionid?: string; snapshot: boolean } = {
    openid: openidFor(persona, app.appid),
    snapshot: getPersona(persona).snapshot,
  }
  if (unionid !== undefined) who.unionid = unionid
  return who
}

function secondsLeft(expiresAt: number, now: number): number {
  return Math.max(0, Math.floor((expiresAt - now) / 1000))
}

/**
 * The exchange's success body. `unionid`: the docs promise it for `snsapi_userinfo`; it is also
 * observed for `snsapi_base` when the user follows the account (https://blog.csdn.net/CherryMs/article/details/127418631).
 * `is_snapshotuser: 1` only for snapshot virtual accounts.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsaccesstoken
 */
function exchangeBody(token: WebTokenRecord, now: number): Record<string, unknown> {
  const persona = getPersona(token.persona)
  const body: Record<string, unknown> = {
    access_token: token.accessToken,
    expires_in: secondsLeft(token.expiresAt, now),
    refresh_token: token.refreshToken,
    openid: token.openid,
    scope: token.scope,
  }
  if (token.snapshot) body.is_snapshotuser = 1
  const showsUnionid = token.scope === 'snsapi_userinfo' || persona.subscribed || token.snapshot
  if (token.unionid !== undefined && showsUnionid) body.unionid = token.unionid
  return body
}

/** An error as `/sns/*` words it (40001 without the global-token hint). */
function snsError(errcode: number): ReturnType<typeof wechatError> {
  return wechatError(errcode, { flavor: 'sns' })
}

/**
 * The web token a `sns/userinfo` or `sns/auth` call names, or the errcode WeChat answers: 41001/41009
 * for a missing parameter, 40001/42001 for an unknown or expired token, 40003 when the openid is not
 * the token's. @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsauth
 */
function webTokenOf(
  ctx: MockContext,
  q: Record<string, string | undefined>,
  now: number,
): WebTokenRecord | ReturnType<typeof wechatError> {
  if (!q.access_token) return snsError(41001)
  if (!q.openid) return snsError(41009)
  const result = ctx.state.checkWebToken(q.access_token, now)
  if (!result.ok) return snsError(result.errcode)
  if (result.value.openid !== q.openid) return snsError(40003)
  return result.value
}

/** Who a call carrying a web token is about: the token's app, the openid it names (or the token's). */
function tokenSubject(ctx: MockContext, token: string | undefined, openid?: string): CallSubject {
  const record = token ? ctx.state.webTokenRecord(token) : undefined
  const subject: CallSubject = {}
  if (record) subject.appid = record.appid
  const who = openid ?? record?.openid
  if (who) subject.openid = who
  return subject
}

/** Who a code exchange is about: the appid it names, the user the code was issued for. */
function codeSubject(
  ctx: MockContext,
  appid: string | undefined,
  code: string | undefined,
): CallSubject {
  const subject: CallSubject = {}
  if (!appid) return subject
  subject.appid = appid
  const record = code ? ctx.state.codeRecord(code) : undefined
  const app = ctx.apps.get(appid)
  if (record && app && record.appid === appid) {
    subject.openid = identityFor(app, record.persona).openid
  }
  return subject
}

/** The sns routes of one simulator. */
export function snsRoutes(ctx: MockContext): FastifyPluginAsync {
  return async (app) => {
    acceptAnyBody(app)
    const methods: Array<'GET' | 'POST'> = ['GET', 'POST']

    app.route({
      method: methods,
      url: '/sns/oauth2/access_token',
      handler: (request, reply) => {
        const q = queryParams(request)
        return answerApi(ctx, request, reply, {
          endpoint: 'sns/oauth2/access_token',
          flavor: 'sns',
          params: q,
          subject: codeSubject(ctx, q.appid, q.code),
          onInjectedErrcode: (now) => {
            if (q.appid && q.code) ctx.state.consumeCode(q.code, q.appid, now)
          },
          handle: (now) => {
            // Missing parameters first (41002/41004/41008), then credentials (40013/40125): a
            // rejected request never touches the code.
            if (!q.appid) return snsError(41002)
            if (!q.secret) return snsError(41004)
            if (!q.code) return snsError(41008)
            if (q.grant_type !== 'authorization_code') return snsError(40002)
            const mockApp = ctx.apps.get(q.appid)
            if (!mockApp) return snsError(40013)
            if (mockApp.secret !== q.secret) return snsError(40125)
            const result = ctx.state.exchangeCode(mockApp.appid, q.code, now, (persona) =>
              identityFor(mockApp, persona),
            )
            return result.ok ? exchangeBody(result.value, now) : snsError(result.errcode)
          },
        })
      },
    })

    app.route({
      method: methods,
      url: '/sns/oauth2/refresh_token',
      handler: (request, reply) => {
        const q = queryParams(request)
        const record = q.refresh_token ? ctx.state.webTokenRecord(q.refresh_token) : undefined
        const subject: CallSubject = {}
        if (q.appid) subject.appid = q.appid
        if (record && record.appid === q.appid) subject.openid = record.openid
        return answerApi(ctx, request, reply, {
          endpoint: 'sns/oauth2/refresh_token',
          flavor: 'sns',
          params: q,
          subject,
          handle: (now) => {
            if (!q.appid) return snsError(41002)
            if (!q.refresh_token) return snsError(41003)
            if (q.grant_type !== 'refresh_token') return snsError(40002)
            if (!ctx.apps.has(q.appid)) return snsError(40013)
            const result = ctx.state.refreshWebToken(q.appid, q.refresh_token, now)
            if (!result.ok) return snsError(result.errcode)
            const token = result.value
            // @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsrefreshtoken
            return {
              access_token: token.accessToken,
              expires_in: secondsLeft(token.expiresAt, now),
              refresh_token: token.refreshToken,
              openid: token.openid,
              scope: token.scope,
            }
          },
        })
      },
    })

    app.route({
      method: methods,
      url: '/sns/userinfo',
      handler: (request, reply) => {
        const q = queryParams(request)
        return answerApi(ctx, request, reply, {
          endpoint: 'sns/userinfo',
          flavor: 'sns',
          params: q,
          subject: tokenSubject(ctx, q.access_token, q.openid),
          handle: (now) => {
            const token = webTokenOf(ctx, q, now)
            if ('errcode' in token) return token
            // "调用本接口必须是使用'snsapi_userinfo'构建的授权链接…否则会返回 48001"; snapshot
            // tokens get 48001 too (https://developers.weixin.qq.com/community/develop/doc/0006eec7030d28b7656ea683e55400).
            if (token.scope !== 'snsapi_userinfo' || token.snapshot) return snsError(48001)
            const persona = getPersona(token.persona)
            // Since 2021-10-20: sex 0 and empty region; nickname and avatar still come after consent.
            // @see https://developers.weixin.qq.com/community/develop/doc/00028edbe3c58081e7cc834705b801
            const body: Record<string, unknown> = {
              openid: token.openid,
              nickname: persona.nickname,
              sex: 0,
              language: '',
              city: '',
              province: '',
              country: '',
              headimgurl: headimgurlFor(persona, originOf(request)),
              privilege: [],
            }
            if (token.unionid !== undefined) body.unionid = token.unionid
            return body
          },
        })
      },
    })

    app.route({
      method: methods,
      url: '/sns/auth',
      handler: (request, reply) => {
        const q = queryParams(request)
        return answerApi(ctx, request, reply, {
          endpoint: 'sns/auth',
          flavor: 'sns',
          params: q,
          subject: tokenSubject(ctx, q.access_token, q.openid),
          handle: (now) => {
            const token = webTokenOf(ctx, q, now)
            if ('errcode' in token) return token
            // @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsauth
            return { errcode: 0, errmsg: 'ok' }
          },
        })
      },
    })
  }
}
