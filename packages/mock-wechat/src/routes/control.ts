/**
 * The control plane under `/__mock`: personas and apps, consent mode, failure injection, latency,
 * clock, reset, call log, and the HTML dashboard. Bodies are validated (400 on anything else, and
 * nothing changes).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import Type, { type Static } from 'typebox'
import { appDisplayName } from '../apps.js'
import type { MockContext } from '../context.js'
import { AUTHORIZE_ERRORS } from '../errors.js'
import { ENDPOINTS, type Endpoint, type FaultSpec } from '../faults.js'
import { PERSONAS, PERSONA_IDS, headimgurlFor, openidFor, unionidFor } from '../personas.js'
import { controlPage } from '../pages/control-page.js'
import { sendHtml } from '../pages/html.js'
import { originOf } from './api-reply.js'

const literals = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)))

export const ConsentBodySchema = Type.Object(
  {
    action: literals(['page', 'allow', 'deny'] as const),
    persona: Type.Optional(literals(PERSONA_IDS)),
    denyMode: Type.Optional(literals(['none', 'state-only'] as const)),
  },
  { additionalProperties: false },
)

export const FailBodySchema = Type.Object(
  {
    endpoint: Type.String({ minLength: 1, maxLength: 64 }),
    mode: literals(['errcode', 'timeout', 'garbage', 'http500'] as const),
    errcode: Type.Optional(Type.Integer({ minimum: -1000, maximum: 99999 })),
    times: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  },
  { additionalProperties: false },
)

export const LatencyBodySchema = Type.Object(
  { ms: Type.Integer({ minimum: 0, maximum: 60_000 }) },
  { additionalProperties: false },
)

/** Up to ten years at once: enough for any expiry, small enough to stay a valid Date. */
export const ClockBodySchema = Type.Object(
  { advanceSeconds: Type.Number({ minimum: 0, maximum: 10 * 366 * 24 * 3600 }) },
  { additionalProperties: false },
)

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message })
}

/** The control routes of one simulator (register with prefix `/__mock`). */
export function controlRoutes(ctx: MockContext): FastifyPluginAsync {
  return async (app) => {
    // An empty body with a JSON content type is "no body" here (curl -X POST -H … /__mock/reset).
    app.removeContentTypeParser('application/json')
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      const text = String(body).trim()
      if (text === '') return done(null, undefined)
      try {
        done(null, JSON.parse(text))
      } catch {
        done(Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 }), undefined)
      }
    })

    const personasView = (request: FastifyRequest) => {
      const origin = originOf(request)
      return PERSONAS.map((persona) => {
        const unionid = unionidFor(persona.id)
        return {
          id: persona.id,
          nickname: persona.nickname,
          headimgurl: headimgurlFor(persona, origin),
          ...(unionid === undefined ? {} : { unionid }),
          subscribed: persona.subscribed,
          snapshot: persona.snapshot,
          description: persona.description,
          openids: Object.fromEntries(
            [...ctx.apps.keys()].map((id) => [id, openidFor(persona.id, id)]),
          ),
        }
      })
    }

    /** Apps without their secrets: this list is shown in a browser. */
    const appsView = () =>
      [...ctx.apps.values()].map((a) => ({
        appid: a.appid,
        name: appDisplayName(a),
        domains: a.domains,
        boundToOpenPlatform: a.boundToOpenPlatform !== false,
        testAccount: a.testAccount === true,
        openPlatformApp: a.openPlatformApp === true,
        scopes: a.scopes ?? ['snsapi_base', 'snsapi_userinfo'],
        requireState: a.requireState === true,
        ...(a.ipWhitelist ? { ipWhitelist: a.ipWhitelist } : {}),
      }))

    const stateView = () => ({
      consent: ctx.consent.settings,
      latencyMs: ctx.latencyMs,
      clock: {
        offsetSeconds: ctx.clock.offsetMs / 1000,
        now: new Date(ctx.clock.now()).toISOString(),
      },
      faults: ctx.faults.pending(),
      strictOrder: ctx.strictOrder,
      timeoutHoldMs: ctx.timeoutHoldMs,
    })

    app.get('/personas', async (request) => personasView(request))
    app.get('/apps', async () => appsView())
    app.get('/state', async () => stateView())
    app.get('/calls', async () => ctx.calls.snapshot())

    app.post<{ Body: Static<typeof ConsentBodySchema> }>(
      '/consent',
      { schema: { body: ConsentBodySchema } },
      async (request) => {
        const { action, persona, denyMode } = request.body
        return ctx.consent.update({
          action,
          ...(persona === undefined ? {} : { persona }),
          ...(denyMode === undefined ? {} : { denyMode }),
        })
      },
    )

    app.post<{ Body: Static<typeof FailBodySchema> }>(
      '/fail',
      { schema: { body: FailBodySchema } },
      async (request, reply) => {
        const { mode, errcode, times = 1 } = request.body
        const endpoint = request.body.endpoint.replace(/^\/+/, '')
        if (!(ENDPOINTS as readonly string[]).includes(endpoint)) {
          return badRequest(reply, `body/endpoint must be one of: ${ENDPOINTS.join(', ')}`)
        }
        if (mode === 'errcode' && errcode === undefined) {
          return badRequest(reply, 'body/errcode is required when mode is errcode')
        }
        if (mode !== 'errcode' && errcode !== undefined) {
          return badRequest(reply, 'body/errcode is only for mode errcode')
        }
        if (errcode === 0) return badRequest(reply, 'body/errcode 0 is not a failure')
        if (
          endpoint === 'connect/oauth2/authorize' &&
          errcode !== undefined &&
          AUTHORIZE_ERRORS[errcode] === undefined
        ) {
          return badRequest(
            reply,
            `body/errcode for the authorize page must be one of: ${Object.keys(AUTHORIZE_ERRORS).join(', ')}`,
          )
        }
        const spec: FaultSpec = { endpoint: endpoint as Endpoint, mode, times }
        if (errcode !== undefined) spec.errcode = errcode
        ctx.faults.add(spec)
        return { queued: spec, pending: ctx.faults.pending() }
      },
    )

    app.post<{ Body: Static<typeof LatencyBodySchema> }>(
      '/latency',
      { schema: { body: LatencyBodySchema } },
      async (request) => {
        ctx.latencyMs = request.body.ms
        return { latencyMs: ctx.latencyMs }
      },
    )

    app.get('/clock', async () => stateView().clock)
    app.post<{ Body: Static<typeof ClockBodySchema> }>(
      '/clock',
      { schema: { body: ClockBodySchema } },
      async (request) => {
        ctx.clock.advance(request.body.advanceSeconds)
        return stateView().clock
      },
    )

    app.post('/reset', async () => {
      ctx.reset()
      return { reset: true, ...stateView() }
    })

    app.get('/', async (request, reply) => {
      const origin = originOf(request)
      const { calls, counts } = ctx.calls.snapshot()
      const state = stateView()
      return sendHtml(
        reply,
        controlPage({
          consent: state.consent,
          latencyMs: state.latencyMs,
          clockOffsetSeconds: state.clock.offsetSeconds,
          now: state.clock.now,
          faults: state.faults,
          personas: PERSONAS.map((persona) => {
            const unionid = unionidFor(persona.id)
            return {
              persona,
              headimgurl: headimgurlFor(persona, origin),
              ...(unionid === undefined ? {} : { unionid }),
            }
          }),
          apps: [...ctx.apps.values()].map((a) => {
            const domain = a.domains[0]
            const view = { appid: a.appid, name: appDisplayName(a), domains: a.domains }
            if (domain === undefined || a.openPlatformApp) return view
            const query = new URLSearchParams([
              ['appid', a.appid],
              ['redirect_uri', `http://${domain}/`],
              ['response_type', 'code'],
              ['scope', 'snsapi_userinfo'],
              ['state', 'mockdemo'],
            ])
            return {
              ...view,
              tryUrl: `/connect/oauth2/authorize?${query.toString()}#wechat_redirect`,
            }
          }),
          calls,
          counts,
        }),
      )
    })
  }
}
