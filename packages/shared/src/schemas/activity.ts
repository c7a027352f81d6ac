/**
 * The demo's business DTOs (apps/bff, apps/web): an H5 activity and joining it. Not part of the
 * login; here so the demo BFF, the demo SPA and its mock share one definition.
 */
import Type, { type Static } from 'typebox'

/** A participant of the demo activity: public facts only, never an openid. */
export const ParticipantSchema = Type.Object({
  nickname: Type.String(),
  headimgurl: Type.String(),
})
export type Participant = Static<typeof ParticipantSchema>

/** `GET /api/activity`: the demo H5 activity. */
export const ActivityResponseSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  coverUrl: Type.String(),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  joined: Type.Boolean(),
  participantCount: Type.Integer(),
  participants: Type.Array(ParticipantSchema),
})
export type ActivityResponse = Static<typeof ActivityResponseSchema>

/** `POST /api/activity/join` */
export const JoinResponseSchema = Type.Object({
  joined: Type.Literal(true),
  participantCount: Type.Integer(),
})
export type JoinResponse = Static<typeof JoinResponseSchema>
