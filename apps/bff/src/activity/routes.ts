/**
 * `/api/activity`: the demo business. Reading needs a session of any kind (base and snapshot
 * included); joining needs a known profile (snsapi_userinfo) and not a snapshot guest.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ApiError, ROUTE_ERRORS, errorResponses, success } from '@wxauth/fastify'
import {
  ActivityResponseSchema,
  AuthHeadersSchema,
  JoinResponseSchema,
} from '@wxauth/shared/schemas'
import { createActivitiesStore, type ActivityRecord, type ActivityTables } from './store.js'

/** How many of the latest participants the page shows. */
export const PARTICIPANTS_SHOWN = 20

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
        summary: 'The activity, whether I joined, and the latest participants',
        description:
          'Any session will do (a silent login, a snapshot guest). Participants show nickname and ' +
          'avatar only, latest first, at most 20.',
        headers: AuthHeadersSchema,
        security: sessionSecurity,
        response: {
          200: success(ActivityResponseSchema, 'The activity'),
          ...errorResponses([...ROUTE_ERRORS.requireUser, 'NOT_FOUND']),
        },
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
        summary: 'Join the activity',
        description:
          'Idempotent: 201 the first time, 200 after. Needs a stored profile (403 ' +
          '`SCOPE_UPGRADE_REQUIRED`: log in with `snsapi_userinfo`) and not a snapshot guest.',
        headers: AuthHeadersSchema,
        security: sessionSecurity,
        response: {
          200: success(JoinResponseSchema, 'Already joined'),
          201: success(JoinResponseSchema, 'Joined'),
          ...errorResponses([...ROUTE_ERRORS.requireProfile, ...ROUTE_ERRORS.body, 'NOT_FOUND']),
        },
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
