/** The error body every failing request gets: `{ statusCode, code, message }`. */
import Type, { type Static } from 'typebox'
import { ERROR_CODES, type ErrorCode } from '../errors.js'

/** A plain JSON Schema string enum, typed as the `ErrorCode` union (a mapped `Type.Union` would widen). */
export const ErrorCodeSchema = Type.Unsafe<ErrorCode>({ type: 'string', enum: [...ERROR_CODES] })

/** The one error body the BFF sends. */
export const ErrorBodySchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: ErrorCodeSchema,
    message: Type.String(),
  },
  { $id: 'ErrorBody' },
)
// Its static type is the root's `ErrorBody` interface (checked in test/schemas.test.ts).
export type ErrorBodyStatic = Static<typeof ErrorBodySchema>
