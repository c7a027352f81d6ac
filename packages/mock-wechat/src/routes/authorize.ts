/**
 * The simulated open.weixin.qq.com: `GET /connect/oauth2/authorize` and the consent form's
 * `POST /connect/oauth2/authorize/confirm`.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { appDisplayName } from '../apps.js'
import { callbackUrl, checkAuthorizeQuery, type AuthorizeRequest } from '../authorize-request.js'
import type { CallSubject } from '../call-filter.js'
import type { CallRecord } from '../calls.js'
import type { PendingAuthorization } from '../consent.js'
import type { MockContext } from '../context.js'
import { AUTHORIZE_PAGE_ERRORS, authorizeError, type AuthorizePageError } from '../errors.js'
import type { Namespace } from '../namespaces.js'
import {
  PERSONAS,
  getPersona,
  headimgurlFor,
  isPersonaId,
  openidFor,
  type PersonaId,
} from '../personas.js'
import { cancelledPage, consentPage, errorPage, redirectPage } from '../pages/authorize-pages.js'
import { sendHtml } from '../pages/html.js'
import { clientIp, originOf, sendTransportFault } from './api-reply.js'

const AUTHORIZE = 'connect/oauth2/authorize'
const CONFIRM = 'connect/oauth2/authorize/confirm'

function rawQuery(request: FastifyRequest): string {
  const url = request.raw.url ?? ''
  const at = url.indexOf('?')
  return at === -1 ? '' : url.slice(at + 1)
}

function firstValues(search: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of search) if (!(name in out)) out[name] = value
  return out
}

/** Browsers send `Sec-Fetch-Mode: navigate` for a top-level navigation; scripts never do. */
function isBrowserNavigation(request: FastifyRequest): boolean {
  return request.headers['sec-fetch-mode'] === 'navigate'
}

/** The authorize routes of one simulator. */
export function authorizeRoutes(ctx: MockContext): FastifyPluginAsync {
  return async (app) => {
    const showError = (reply: FastifyReply, call: CallRecord, error: AuthorizePageError) => {
      if (error.errcode !== undefined) call.errcode = error.errcode
      return sendHtml(reply, errorPage(error))
    }

    /** To the app: a 302 for scripts, a `location.replace` page for browsers (see redirectPage). */
    const redirect = (reply: FastifyReply, url: string, browser: boolean) =>
      browser ? sendHtml(reply, redirectPage(url)) : reply.redirect(url, 302)

    /** 允许: a code for `persona`, then back to redirect_uri with `code` then `state`. */
    const grant = (
      reply: FastifyReply,
      namespace: Namespace,
      call: CallRecord,
      request: AuthorizeRequest,
      personaId: PersonaId,
      browser: boolean,
    ) => {
      // A test account (测试号) only authorises users who follow it: "必须关注此测试号".
      if (request.app.testAccount && !getPersona(personaId).subscribed) {
        return showError(reply, call, authorizeError(10006))
      }
      const { code } = ctx.state.issueCode(
        request.app.appid,
        personaId,
        request.scope,
        namespace.clock.now(),
      )
      const params: Array<[string, string]> = [['code', code]]
      if (request.state !== undefined) params.push(['state', request.state])
      return redirect(reply, callbackUrl(request.redirectUri, params), browser)
    }

    /** 拒绝: no redirect at all (production), or `redirect_uri?state=STATE` (the docs). */
    const deny = (
      reply: FastifyReply,
      namespace: Namespace,
      request: AuthorizeRequest,
      browser: boolean,
    ) => {
      if (namespace.consent.settings.denyMode === 'none') {
        return sendHtml(reply, cancelledPage(appDisplayName(request.app)))
      }
      const params: Array<[string, string]> =
        request.state === undefined ? [] : [['state', request.state]]
      return redirect(reply, callbackUrl(request.redirectUri, params), browser)
    }

    app.get('/connect/oauth2/authorize', async (request, reply) => {
      const search = new URLSearchParams(rawQuery(request))
      const appid = search.get('appid') || undefined
      const namespace = ctx.namespaces.forApp(appid)
      // The user on the other side of the page is the persona chosen last in this namespace.
      const subject: CallSubject = {}
      if (appid) {
        subject.appid = appid
        subject.openid = openidFor(namespace.consent.settings.persona, appid)
      }
      await ctx.waits.sleep(namespace.latency.delayFor(AUTHORIZE, subject))
      const now = namespace.clock.now()
      const call = namespace.calls.record(AUTHORIZE, 'GET', firstValues(search), now)
      const fault = namespace.faults.take(AUTHORIZE, subject)
      if (fault) {
        call.fault = fault.mode
        if (fault.mode !== 'errcode') return sendTransportFault(ctx, reply, fault.mode)
        return showError(reply, call, authorizeError(fault.errcode ?? 10009))
      }
      if (!namespace.rateLimiter.hit(clientIp(request), now)) {
        return showError(reply, call, authorizeError(10009))
      }
      const checked = checkAuthorizeQuery(search, ctx.apps, ctx.settings)
      if (!checked.ok) return showError(reply, call, checked.error)
      const authorize = checked.request
      const browser = isBrowserNavigation(request)
      const { action, persona } = namespace.consent.settings
      // snsapi_base is always silent; snsapi_userinfo is silent for a follower ("对于已关注公众号
      // 的用户…即使是scope为snsapi_userinfo，也是静默授权").
      // @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
      if (authorize.scope === 'snsapi_base' || getPersona(persona).subscribed) {
        return grant(reply, namespace, call, authorize, persona, browser)
      }
      if (action === 'allow') return grant(reply, namespace, call, authorize, persona, browser)
      if (action === 'deny') return deny(reply, namespace, authorize, browser)
      const origin = originOf(request)
      const ticket = namespace.consent.open({
        appid: authorize.app.appid,
        redirectUri: authorize.redirectUri,
        scope: authorize.scope,
        ...(authorize.state === undefined ? {} : { state: authorize.state }),
        createdAt: now,
      })
      return sendHtml(
        reply,
        consentPage({
          appName: appDisplayName(authorize.app),
          ticket,
          personas: PERSONAS.map((p) => ({ persona: p, headimgurl: headimgurlFor(p, origin) })),
          selected: persona,
        }),
      )
    })

    /** The namespace and pending request behind a consent form's ticket, once. */
    const takePending = (
      ticket: string,
    ): { namespace: Namespace; pending: PendingAuthorization } | undefined => {
      for (const namespace of ctx.namespaces.all()) {
        const pending = namespace.consent.take(ticket, namespace.clock.now())
        if (pending) return { namespace, pending }
      }
      return undefined
    }

    app.post('/connect/oauth2/authorize/confirm', async (request, reply) => {
      const form = (request.body ?? {}) as Record<string, unknown>
      const field = (name: string): string | undefined => {
        const value = form[name]
        return typeof value === 'string' ? value : undefined
      }
      const action = field('action')
      const personaField = field('persona')
      const valid =
        (action === 'allow' || action === 'deny') && (!personaField || isPersonaId(personaField))
      const found = valid ? takePending(field('ticket') ?? '') : undefined
      const namespace = found?.namespace ?? ctx.namespaces.defaultNamespace
      const call = namespace.calls.record(
        CONFIRM,
        'POST',
        { action: action ?? '', persona: personaField ?? '' },
        namespace.clock.now(),
      )
      if (!valid) {
        return sendHtml(reply, errorPage({ key: 'bad-form', message: '表单参数错误' }), 400)
      }
      const pending = found?.pending
      const app = pending && ctx.apps.get(pending.appid)
      if (!pending || !app) return showError(reply, call, AUTHORIZE_PAGE_ERRORS.consentExpired)
      const authorize: AuthorizeRequest = {
        app,
        redirectUri: pending.redirectUri,
        scope: pending.scope,
        ...(pending.state === undefined ? {} : { state: pending.state }),
      }
      // A form post's URL has no fragment to inherit, so a plain 302 is exact here.
      if (action === 'deny') return deny(reply, namespace, authorize, false)
      const persona: PersonaId = isPersonaId(personaField)
        ? personaField
        : namespace.consent.settings.persona
      namespace.consent.update({ persona })
      return grant(reply, namespace, call, authorize, persona, false)
    })
  }
}
