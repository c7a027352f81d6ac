/**
 * The control plane under `/__mock`: personas and apps, consent mode, failure injection, latency,
 * clock, reset, call log, and the HTML dashboard. Bodies are validated (400 on anything else, and
 * nothing changes). Each call works on one namespace: the `X-Mock-Namespace` header's (or
 * `?namespace=`), `default` without either.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import Type, { type Static } from 'typebox'
import { Value } from 'typebox/value'
import { NAMESPACE_PATTERN, appDisplayName } from '../apps.js'
import { filterOf } from '../call-filter.js'
import { RESET_PARTS, type MockContext } from '../context.js'
import { AUTHORIZE_ERRORS } from '../errors.js'
import { ENDPOINTS, isEndpoint, type Endpoint, type FaultSpec } from '../faults.js'
import { DEFAULT_NAMESPACE, type Namespace } from '../namespaces.js'
import { PERSONAS, PERSONA_IDS, headimgurlFor, openidFor, unionidFor } from '../personas.js'
import { controlPage } from '../pages/control-page.js'
import { sendHtml } from '../pages/html.js'
import { originOf } from './api-reply.js'

const literals = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)))

/** The filter fields shared by failures and latency rules. */
const FilterFields = {
  appid: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  openid: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
}

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
    ...FilterFields,
  },
  { additionalProperties: false },
)

/** `DELETE /__mock/fail`: which queued failures to drop (all of them without a field). */
export const ClearFailQuerySchema = Type.Object(
  {
    endpoint: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    ...FilterFields,
    namespace: Type.Optional(Type.String({ pattern: NAMESPACE_PATTERN })),
  },
  { additionalProperties: false },
)

/** Without a filter: the delay of every call. With one: a rule for the calls it selects. */
export const LatencyBodySchema = Type.Object(
  {
    ms: Type.Integer({ minimum: 0, maximum: 60_000 }),
    endpoint: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    ...FilterFields,
  },
  { additionalProperties: false },
)

/** Up to ten years at once: enough for any expiry, small enough to stay a valid Date. */
export const ClockBodySchema = Type.Object(
  { advanceSeconds: Type.Number({ minimum: 0, maximum: 10 * 366 * 24 * 3600 }) },
  { additionalProperties: false },
)

/** No body (or no `parts`): everything. */
export const ResetBodySchema = Type.Object(
  { parts: Type.Optional(Type.Array(literals(RESET_PARTS), { minItems: 1, uniqueItems: true })) },
  { additionalProperties: false },
)

/** A 400 in Fastify's error shape, thrown from a handler. */
function badRequestError(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400 })
}

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message })
}

/** An endpoint as a body or query names it (one leading slash tolerated), or a 400. */
function endpointOf(raw: string | undefined): Endpoint | undefined {
  if (raw === undefined) return undefined
  const endpoint = raw.replace(/^\/+/, '')
  if (!isEndpoint(endpoint)) {
    throw badRequestError(`endpoint must be one of: ${ENDPOINTS.join(', ')}`)
  }
  return endpoint
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
    // The control plane is not WeChat: an unknown route here is a plain 404, not errcode 40066.
    app.setNotFoundHandler((request, reply) =>
      reply.code(404).send({
        statusCode: 404,
        error: 'Not Found',
        message: `Route ${request.method}:${request.url} not found`,
      }),
    )

    /** The namespace a control call works on; 400 for one no app names. */
    const namespaceOf = (request: FastifyRequest): Namespace => {
      const header = request.headers['x-mock-namespace']
      const query = (request.query as Record<string, unknown> | undefined)?.namespace
      const name =
        (typeof header === 'string' && header) ||
        (typeof query === 'string' && query) ||
        DEFAULT_NAMESPACE
      const namespace = ctx.namespaces.get(name)
      if (!namespace) {
        throw badRequestError(
          `unknown namespace ${name}; known: ${ctx.namespaces.names().join(', ')}`,
        )
      }
      return namespace
    }

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
        officialAccount: a.officialAccount === true,
        openPlatformApp: a.openPlatformApp === true,
        scopes: a.scopes ?? ['snsapi_base', 'snsapi_userinfo'],
        requireState: a.requireState === true,
        namespace: a.namespace ?? DEFAULT_NAMESPACE,
        ...(a.ipWhitelist ? { ipWhitelist: a.ipWhitelist } : {}),
      }))

    const clockView = (namespace: Namespace) => ({
      offsetSeconds: namespace.clock.offsetMs / 1000,
      now: new Date(namespace.clock.now()).toISOString(),
    })

    const stateView = (namespace: Namespace) => ({
      namespace: namespace.name,
      consent: namespace.consent.settings,
      latencyMs: namespace.latency.defaultMs,
      latencyRules: namespace.latency.list(),
      clock: clockView(namespace),
      faults: namespace.faults.pending(),
      strictOrder: ctx.settings.orderCheck === 'all',
      orderCheck: ctx.settings.orderCheck,
      strictState: ctx.settings.strictState,
      timeoutHoldMs: ctx.settings.timeoutHoldMs,
      authorizeRateLimitPerMinute: ctx.settings.authorizeRateLimitPerMinute,
      expiredCodeErrcode: ctx.settings.expiredCodeErrcode,
      quotas: ctx.settings.quotas,
    })

    app.get('/personas', async (request) => personasView(request))
    app.get('/apps', async () => appsView())
    app.get('/namespaces', async () =>
      ctx.namespaces.all().map((n) => ({ name: n.name, appids: [...n.appids] })),
    )
    app.get('/state', async (request) => stateView(namespaceOf(request)))
    app.get('/calls', async (request) => namespaceOf(request).calls.snapshot())

    app.post<{ Body: Static<typeof ConsentBodySchema> }>(
      '/consent',
      { schema: { body: ConsentBodySchema } },
      async (request) => {
        const { action, persona, denyMode } = request.body
        return namespaceOf(request).consent.update({
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
        const namespace = namespaceOf(request)
        const { mode, errcode, times = 1, appid, openid } = request.body
        const endpoint = endpointOf(request.body.endpoint) as Endpoint
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
        const spec: FaultSpec = { endpoint, mode, times }
        if (errcode !== undefined) spec.errcode = errcode
        if (appid !== undefined) spec.appid = appid
        if (openid !== undefined) spec.openid = openid
        namespace.faults.add(spec)
        return { queued: spec, pending: namespace.faults.pending() }
      },
    )

    app.delete<{ Querystring: Static<typeof ClearFailQuerySchema> }>(
      '/fail',
      { schema: { querystring: ClearFailQuerySchema } },
      async (request) => {
        const namespace = namespaceOf(request)
        const { appid, openid } = request.query
        const endpoint = endpointOf(request.query.endpoint)
        const cleared = namespace.faults.clear(filterOf({ endpoint, appid, openid }))
        return { cleared, pending: namespace.faults.pending() }
      },
    )

    app.post<{ Body: Static<typeof LatencyBodySchema> }>(
      '/latency',
      { schema: { body: LatencyBodySchema } },
      async (request) => {
        const namespace = namespaceOf(request)
        const { ms, appid, openid } = request.body
        const endpoint = endpointOf(request.body.endpoint)
        const filter = filterOf({ endpoint, appid, openid })
        if (Object.keys(filter).length === 0) {
          namespace.latency.defaultMs = ms
          return { latencyMs: ms }
        }
        namespace.latency.set({ ...filter, ms })
        return {
          latencyMs: namespace.latency.defaultMs,
          rule: { ...filter, ms },
          rules: namespace.latency.list(),
        }
      },
    )

    app.delete('/latency', async (request) => {
      const namespace = namespaceOf(request)
      namespace.latency.clear()
      return { latencyMs: 0, rules: [] }
    })

    app.get('/clock', async (request) => clockView(namespaceOf(request)))
    app.post<{ Body: Static<typeof ClockBodySchema> }>(
      '/clock',
      { schema: { body: ClockBodySchema } },
      async (request) => {
        const namespace = namespaceOf(request)
        namespace.clock.advance(request.body.advanceSeconds)
        return clockView(namespace)
      },
    )

    // The body is optional (`curl -X POST …/reset`), so it is checked here rather than by a schema.
    app.post('/reset', async (request, reply) => {
      const namespace = namespaceOf(request)
      const body: unknown = request.body
      if (body !== undefined && !Value.Check(ResetBodySchema, body)) {
        const first = [...Value.Errors(ResetBodySchema, body)][0]
        return badRequest(
          reply,
          `body${first?.instancePath ?? ''} ${first?.message ?? 'is invalid'}`,
        )
      }
      const parts = (body as Static<typeof ResetBodySchema> | undefined)?.parts ?? [...RESET_PARTS]
      ctx.reset(namespace, parts)
      return { reset: true, parts, ...stateView(namespace) }
    })

    app.get('/', async (request, reply) => {
      const namespace = namespaceOf(request)
      const origin = originOf(request)
      const { calls, counts } = namespace.calls.snapshot()
      const state = stateView(namespace)
      return sendHtml(
        reply,
        controlPage({
          namespace: namespace.name,
          namespaces: ctx.namespaces.names(),
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
              ['redirect_uri', `http://${domain}${domain.includes('/') ? '' : '/'}`],
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
