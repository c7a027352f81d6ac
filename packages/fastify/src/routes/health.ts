/**
 * `healthRoutes: true`: liveness (`/healthz`: the process answers) and readiness (`/readyz`: each
 * store answers too), at the root, not under `prefix`. A
 * load balancer takes an instance out of rotation on a 503 from `/readyz` (Redis or the database
 * down) and back in once it answers 200: the stores reconnect by themselves.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ERROR_STATUS } from '@wxauth/shared'
import { ErrorBodySchema } from '@wxauth/shared/schemas'
import Type from 'typebox'
import type { PluginContext } from '../context.js'

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
    { schema: { tags: ['health'], response: { 200: StatusSchema } } },
    async () => ({ status: 'ok' }),
  )
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Ready when every store answers: { status, checks: { database, redis } }',
        response: { 200: ReadySchema, 503: NotReadySchema, '5xx': ErrorBodySchema },
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
