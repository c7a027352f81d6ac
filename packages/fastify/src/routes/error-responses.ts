/**
 * Which errors each route can really answer, in one table, and the OpenAPI response schemas made
 * from it: per status, the error body with its `code` restricted to that route's codes, each code
 * described with the shared message and an example. The test harness checks every error response
 * of the suites against the route's declared codes, so the description cannot drift from the code.
 */
import Type, { type TSchema } from 'typebox'
import { ERROR_MESSAGES, ERROR_STATUS, type ErrorCode } from '@wxauth/shared'

/** What any route can answer when something it does not control fails. */
const ALWAYS: readonly ErrorCode[] = ['INTERNAL_ERROR']

/** What asking WeChat can end in (timeouts, -1, 5xx, garbage; a wrong AppID, secret or IP). */
const WECHAT: readonly ErrorCode[] = ['WECHAT_UNAVAILABLE', 'WECHAT_CONFIG_ERROR']

/** What a route with a body can answer before it runs: unreadable JSON, the wrong content type. */
const BODY: readonly ErrorCode[] = ['VALIDATION_ERROR', 'UNSUPPORTED_MEDIA_TYPE']

/** What `requireUser` can answer: no session, or a code that does not log in. */
const REQUIRE_USER: readonly ErrorCode[] = [
  'AUTH_REQUIRED',
  'VALIDATION_ERROR',
  'CODE_INVALID',
  'CODE_USED',
  'STATE_MISMATCH',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  ...WECHAT,
  ...ALWAYS,
]

/** The error codes of each route, and of the hooks an app puts in front of its own routes. */
export const ROUTE_ERRORS = {
  /** `requireUser` in front of an app's route. */
  requireUser: REQUIRE_USER,
  /** `requireProfile` in front of an app's route. */
  requireProfile: [...REQUIRE_USER, 'SNAPSHOT_USER', 'SCOPE_UPGRADE_REQUIRED'],
  /** A route that reads a body. */
  body: BODY,
  authorizeUrl: ['VALIDATION_ERROR', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE', ...ALWAYS],
  session: [
    ...BODY,
    'CODE_INVALID',
    'CODE_USED',
    'STATE_MISMATCH',
    'RATE_LIMITED',
    'SERVICE_UNAVAILABLE',
    ...WECHAT,
    ...ALWAYS,
  ],
  logout: [...BODY, 'SERVICE_UNAVAILABLE', ...ALWAYS],
  me: REQUIRE_USER,
  refresh: [...REQUIRE_USER, ...BODY, 'SNAPSHOT_USER', 'SCOPE_UPGRADE_REQUIRED', 'REAUTH_REQUIRED'],
  subscription: [...REQUIRE_USER, 'SNAPSHOT_USER'],
  jssdk: ['VALIDATION_ERROR', 'SERVICE_UNAVAILABLE', ...WECHAT, ...ALWAYS],
  readyz: ALWAYS,
} as const satisfies Record<string, readonly ErrorCode[]>

/** The error body of one status, its `code` limited to `codes`. */
function errorSchema(status: number, codes: readonly ErrorCode[]): TSchema {
  const first = codes[0]!
  return Type.Object(
    {
      statusCode: Type.Literal(status),
      code: Type.Unsafe<ErrorCode>({ type: 'string', enum: [...codes] }),
      message: Type.String(),
    },
    {
      description: codes.map((code) => `\`${code}\`: ${ERROR_MESSAGES[code]}`).join('. '),
      examples: [{ statusCode: status, code: first, message: ERROR_MESSAGES[first] }],
    },
  )
}

/** OpenAPI responses for `codes`, one per status they answer with. */
export function errorResponses(codes: readonly ErrorCode[]): Record<number, TSchema> {
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of new Set(codes)) {
    const status = ERROR_STATUS[code]
    byStatus.set(status, [...(byStatus.get(status) ?? []), code])
  }
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [status, errorSchema(status, list)]),
  )
}

/** A success response: the schema with the words OpenAPI shows for it. */
export function success<T extends TSchema>(schema: T, description: string): T {
  return { ...schema, description }
}
