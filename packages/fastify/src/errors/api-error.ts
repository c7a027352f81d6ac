/**
 * `ApiError`: a failure with a contract code (`AUTH_REQUIRED`, `SCOPE_UPGRADE_REQUIRED`, …) and a
 * message safe to show. The login throws it; so may the app's own routes. Only the error handler
 * (error-handler.ts) turns it into an HTTP response: `{ statusCode, code, message }`, the status
 * following from the code. Its `statusCode` and `code` properties also make Fastify's default error
 * handler answer sensibly when an app keeps its own handler.
 */
import { ERROR_MESSAGES, ERROR_STATUS, type ErrorCode } from '@wxauth/shared'

/** A failure the client is meant to see, with a contract code. */
export class ApiError extends Error {
  readonly code: ErrorCode
  readonly statusCode: number

  /** `message` defaults to the code's entry in the shared message table. */
  constructor(code: ErrorCode, message: string = ERROR_MESSAGES[code]) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.statusCode = ERROR_STATUS[code]
  }
}
