/**
 * Every answer of the mock is built against the schema the real BFF serves for it
 * (`@wxauth/shared/schemas`): cut down to the schema's properties first, as the real server's
 * serializer does (response schemas are allowlists), then checked. A body that does not pass is a
 * bug in the mock, not an answer: it throws, MSW answers 500 with the reason, and the console shows
 * which field drifted from the contract.
 */
import { HttpResponse } from 'msw'
import type { TSchema, Static } from 'typebox'
import { Value } from 'typebox/value'
import { ERROR_MESSAGES, ERROR_STATUS, type ErrorBody, type ErrorCode } from '@wxauth/shared'
import { ErrorBodySchema } from '@wxauth/shared/schemas'

/** A mock answer that does not match its schema. */
export class MockContractError extends Error {
  constructor(
    readonly route: string,
    readonly problems: string[],
  ) {
    super(
      `[@wxauth/vue/mock] ${route}: the answer does not match its schema: ${problems.join('; ')}`,
    )
    this.name = 'MockContractError'
  }
}

/** The problems of `value` against `schema`, one line each (empty: it passes). */
export function schemaProblems(schema: TSchema, value: unknown): string[] {
  if (Value.Check(schema, value)) return []
  return [...Value.Errors(schema, value)].map(
    (error) => `${error.instancePath || '/'} ${error.message}`,
  )
}

/**
 * `value` cut down to `schema`'s properties and checked against it; throws
 * {@link MockContractError} naming every problem.
 */
export function conform<S extends TSchema>(schema: S, value: Static<S>, route: string): Static<S> {
  const clean = Value.Clean(schema, structuredClone(value)) as Static<S>
  const problems = schemaProblems(schema, clean)
  if (problems.length > 0) throw new MockContractError(route, problems)
  return clean
}

/** Headers of every mock answer: like the real BFF's, never cached. */
const NO_STORE = { 'cache-control': 'no-store' }

/** A JSON answer built against `schema` (status 200 unless given). */
export function json<S extends TSchema>(
  schema: S,
  body: Static<S>,
  init: { status?: number; route?: string } = {},
): HttpResponse<Static<S>> {
  const route = init.route ?? 'a mock route'
  return HttpResponse.json(conform(schema, body, route), {
    status: init.status ?? 200,
    headers: NO_STORE,
  })
}

/** The error contract's answer for `code`: its status, `{ statusCode, code, message }`. */
export function errorResponse(code: ErrorCode, message?: string): HttpResponse<ErrorBody> {
  const statusCode = ERROR_STATUS[code]
  const body: ErrorBody = { statusCode, code, message: message ?? ERROR_MESSAGES[code] }
  return HttpResponse.json(conform(ErrorBodySchema, body, `error ${code}`), {
    status: statusCode,
    headers: NO_STORE,
  })
}

/** `204 No Content`, as `POST /auth/logout` answers. */
export function noContent(): HttpResponse<null> {
  return new HttpResponse(null, { status: 204, headers: NO_STORE })
}
