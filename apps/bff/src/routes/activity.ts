/**
 * `/api/activity`: the demo business. Reading needs a session of any kind (base and snapshot
 * included); joining needs a known profile (snsapi_userinfo) and not a snapshot guest.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ActivityResponseSchema, JoinResponseSchema } from '@wxauth/shared/schemas'
import type { Config } from '../config.js'
import { AppError } from '../errors.js'
import { AuthHeadersSchema, errorResponses, sessionSecurity } from '../schemas.js'
import type { ActivityRecord } from '../stores/types.js'

/** How many of the latest participants the page shows. */
export const PARTICIPANTS_SHOWN = 20

export interface ActivityRoutesOptions {
  config: Config
  now: () => number
}

const activityRoutes: FastifyPluginAsyncTypebox<ActivityRoutesOptions> = async (app, { now }) => {
  app.addHook('preHandler', app.authenticate)
  const { activities } = app.stores

  async function current(): Promise<ActivityRecord> {
    const activity = await activities.current()
    if (activity === null) throw new AppError('NOT_FOUND', 'There is no activity right now')
    return activity
  }

  app.get(
    '',
    {
      schema: {
        tags: ['activity'],
        summary: 'The activity, whether I joined, and the latest participants (nickname + avatar)',
        headers: AuthHeadersSchema,
        security: sessionSecurity,
        response: { 200: ActivityResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const activity = await current()
      const userId = request.auth?.user?.id
      const [joined, participantCount, participants] = await Promise.all([
        userId === undefined ? false : activities.hasJoined(activity.id, userId),
        activities.participantCount(activity.id),
        activities.latestParticipants(activity.id, PARTICIPANTS_SHOWN),
      ])
      return {
        id: activity.id,
        title: activity.title,
        description: activity.description,
        coverUrl: activity.coverUrl,
        startsAt: new Date(activity.startsAt).toISOString(),
        endsAt: new Date(activity.endsAt).toISOString(),
        joined,
        participantCount,
        participants,
      }
    },
  )

  app.post(
    '/join',
    {
      preHandler: [app.requireNotSnapshot, app.requireUserinfo],
      schema: {
        tags: ['activity'],
        summary: 'Join the activity; idempotent (201 the first time, 200 after)',
        headers: AuthHeadersSchema,
        security: sessionSecurity,
        response: { 200: JoinResponseSchema, 201: JoinResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const activity = await current()
      const at = now()
      if (at < activity.startsAt || at >= activity.endsAt) {
        throw new AppError('VALIDATION_ERROR', 'The activity is not open right now')
      }
      const { created } = await activities.join(activity.id, request.auth!.user!.id, at)
      const participantCount = await activities.participantCount(activity.id)
      return reply.status(created ? 201 : 200).send({ joined: true, participantCount })
    },
  )
}

export default activityRoutes
