/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the stores answer too). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { AppError } from '../errors.js'
import { errorResponses } from '../schemas.js'

const StatusSchema = Type.Object({ status: Type.String() })

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    { schema: { tags: ['health'], response: { 200: StatusSchema } } },
    async () => ({ status: 'ok' }),
  )
  app.get(
    '/readyz',
    { schema: { tags: ['health'], response: { 200: StatusSchema, ...errorResponses } } },
    async (request) => {
      try {
        await app.stores.ping()
      } catch (error) {
        request.log.error({ err: error }, 'readiness check failed')
        throw new AppError('SERVICE_UNAVAILABLE', 'The stores are not answering')
      }
      return { status: 'ready' }
    },
  )
}

export default healthRoutes
