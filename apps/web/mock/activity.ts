/**
 * The demo's business routes on the mock BFF, as apps/bff answers them (`src/activity/routes.ts`):
 * `GET /api/activity` for any session (snapshot guests included), `POST /api/activity/join` for a
 * stored profile and no snapshot guest, 201 the first time and 200 after. Built from the same
 * schemas (`ActivityResponseSchema`, `JoinResponseSchema`), kept in the mock's state, reset with it.
 */
import { http, type HttpHandler } from 'msw'
import { ActivityResponseSchema, JoinResponseSchema } from '@wxauth/shared/schemas'
import { avatarDataUrl, type WechatAuthMock } from '@wxauth/vue/mock'
// The seed's own words: one copy for the BFF and its mock (a pure-data module, no server code).
import { DEMO_ACTIVITY, DEMO_COVER_URL, demoWindow } from '../../bff/src/activity/demo-activity.js'

/** How many of the latest participants the page is sent (apps/bff's `PARTICIPANTS_SHOWN`). */
export const PARTICIPANTS_SHOWN = 20

/** The activity's state in the mock: its time window, and who joined (latest first). */
export interface MockActivity {
  startsAt: number
  endsAt: number
  participants: Array<{ userId: number | null; nickname: string; headimgurl: string }>
}

/** A few people who joined before the page was opened, so the list is not empty. */
const EARLIER = [
  { nickname: '小明', color: '#fa9d3b' },
  { nickname: '阿珍', color: '#10aeff' },
  { nickname: 'Lucy', color: '#576b95' },
]

/** The activity as seeded when the mock starts: the BFF's seed window. */
export function seedActivity(now: number): MockActivity {
  return {
    ...demoWindow(now),
    participants: EARLIER.map(({ nickname, color }) => ({
      userId: null,
      nickname,
      headimgurl: avatarDataUrl(nickname.charAt(0), color),
    })),
  }
}

/** `GET /api/activity`, `POST /api/activity/join`. */
export function activityHandlers(mock: WechatAuthMock): HttpHandler[] {
  const activity = mock.appState('activity', seedActivity)

  return [
    http.get(
      mock.path('/activity'),
      mock.requireUser(({ session }) => {
        const state = activity.read()
        return mock.json(ActivityResponseSchema, {
          id: 1,
          ...DEMO_ACTIVITY,
          coverUrl: DEMO_COVER_URL,
          startsAt: new Date(state.startsAt).toISOString(),
          endsAt: new Date(state.endsAt).toISOString(),
          joined:
            session.userId !== null && state.participants.some((p) => p.userId === session.userId),
          participantCount: state.participants.length,
          participants: state.participants
            .slice(0, PARTICIPANTS_SHOWN)
            .map(({ nickname, headimgurl }) => ({ nickname, headimgurl })),
        })
      }),
    ),

    http.post(
      mock.path('/activity/join'),
      mock.requireProfile(({ wechatUser }) => {
        const user = wechatUser! // requireProfile: a stored profile
        const now = mock.now()
        const result = activity.update((state) => {
          if (now < state.startsAt || now >= state.endsAt) return null
          const created = !state.participants.some((p) => p.userId === user.id)
          if (created) {
            state.participants.unshift({
              userId: user.id,
              nickname: user.nickname,
              headimgurl: user.headimgurl,
            })
          }
          return { created, participantCount: state.participants.length }
        })
        if (result === null) {
          return mock.error('VALIDATION_ERROR', 'The activity is not open right now')
        }
        return mock.json(
          JoinResponseSchema,
          { joined: true, participantCount: result.participantCount },
          { status: result.created ? 201 : 200 },
        )
      }),
    ),
  ]
}
