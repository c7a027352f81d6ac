/** Route-level schema pieces shared by the route modules (the DTOs come from @wxauth/shared/schemas). */
import { ErrorBodySchema } from '@wxauth/shared/schemas'

export { AuthHeadersSchema } from '@wxauth/shared/schemas'

/** Error responses of every route, for the OpenAPI description. */
export const errorResponses = {
  '4xx': ErrorBodySchema,
  '5xx': ErrorBodySchema,
}

/** The session cookie, for the OpenAPI description. */
export const sessionSecurity = [{ session: [] }]
