/**
 * `healthRoutes: true`: liveness (`/healthz`: the process answers) and readiness (`/readyz`: each
 * store answers too), at the root, not under `prefix`. A
 * load balancer takes an instance out of rotation on a 503 from `/readyz` (Redis or the database
 * down) and back in once it answers 200: the stores reconnect by themselves.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ERROR_STATUS } from '@wxauth/shared'
import Type from 'typebox'
import type { PluginContext } from '../context.js'
import { ROUTE_ERRORS, errorResponses, success } from './schemas.js'

const StatusSchema = Type.Object({ status: Type.String() })

const StoreStatusSchema = Type.Union([Type.Literal('ok'), Type.Literal('down')])
const ChecksSchema = Type.Object({
  database: StoreStatusSchema,
  redis: Type.Union([StoreStatusSchema, Type.Literal('unused')], {
    description: '`unused` in embedded mode (no redisUrl)',
  }),
})
const ReadySchema = Type.Object({ status: Type.Literal('ready'), checks: ChecksSchema })
/** The error contract plus the checks, so both a generic client and an operator learn something. */
const NotReadySchema = Type.Object({
  statusCode: Type.Integer(),
  code: Type.Literal('SERVICE_UNAVAILABLE'),
  message: Type.String(),
  status: Type.Literal('unavailable'),
  checks: ChecksSchema,
})

const healthRoutes: FastifyPluginAsyncTypebox<{ ctx: PluginContext }> = async (app, { ctx }) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process answers',
        response: { 200: success(StatusSchema, 'Alive') },
      },
    },
    async () => ({ status: 'ok' }),
  )
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: every store answers',
        description:
          'For a load balancer: 503 while the database or Redis does not answer (or while the ' +
          'process drains for a shutdown), 200 again once they do.',
        response: {
          200: success(ReadySchema, 'Ready'),
          503: success(NotReadySchema, 'Not ready: which store is down'),
          ...errorResponses(ROUTE_ERRORS.readyz),
        },
      },
    },
    async (request, reply) => {
      const checks = await ctx.stores.checks()
      if (checks.database === 'ok' && checks.redis !== 'down')
        return { status: 'ready' as const, checks }
      request.log.error({ checks }, 'readiness check failed')
      reply.header('cache-control', 'no-store')
      return reply.status(503).send({
        statusCode: ERROR_STATUS.SERVICE_UNAVAILABLE,
        code: 'SERVICE_UNAVAILABLE',
        message: 'The stores are not answering',
        status: 'unavailable',
        checks,
      })
    },
  )
}

export default healthRoutes
