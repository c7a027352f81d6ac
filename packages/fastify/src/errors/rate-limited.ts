/** 429 RATE_LIMITED with the seconds to wait, sent as `Retry-After` by the error handler. */
import { ApiError } from './api-error.js'

/** Too many requests: the client should retry after `retryAfterSeconds`. */
export class RateLimitedError extends ApiError {
  readonly retryAfterSeconds: number

  constructor(retryAfterSeconds: number, message?: string) {
    super('RATE_LIMITED', message)
    this.name = 'RateLimitedError'
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds))
  }
}
