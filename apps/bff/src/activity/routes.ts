/**
 * `/api/activity`: the demo business. Reading needs a session of any kind (base and snapshot
 * included); joining needs a known profile (snsapi_userinfo) and not a snapshot guest.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ApiError } from '@wxauth/fastify'
import {
  ActivityResponseSchema,
  AuthHeadersSchema,
  ErrorBodySchema,
  JoinResponseSchema,
} from '@wxauth/shared/schemas'
import { createActivitiesStore, type ActivityRecord, type ActivityTables } from './store.js'

/** How many of the latest participants the page shows. */
export const PARTICIPANTS_SHOWN = 20

const errorResponses = { '4xx': ErrorBodySchema, '5xx': ErrorBodySchema }
const sessionSecurity = [{ session: [] }]

export interface ActivityRoutesOptions {
  now: () => number
}

const activityRoutes: FastifyPluginAsyncTypebox<ActivityRoutesOptions> = async (app, { now }) => {
  // Every route here needs a session of some kind (base and snapshot guests included).
  app.addHook('preHandler', app.wechatAuth.requireUser)
  const activities = createActivitiesStore(app.wechatAuth.db.withTables<ActivityTables>())

  async function current(): Promise<ActivityRecord> {
    const activity = await activities.current()
    if (activity === null) throw new ApiError('NOT_FOUND', 'There is no activity right now')
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
      const userId = request.wechatSession?.userId ?? undefined
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
      // A stored profile (snsapi_userinfo) and not a snapshot guest.
      preHandler: app.wechatAuth.requireProfile,
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
        throw new ApiError('VALIDATION_ERROR', 'The activity is not open right now')
      }
      const { created } = await activities.join(activity.id, request.wechatUser!.id, at)
      const participantCount = await activities.participantCount(activity.id)
      return reply.status(created ? 201 : 200).send({ joined: true, participantCount })
    },
  )
}

export default activityRoutes
