/** Route-level schema pieces shared by the route modules (the DTOs come from @wxauth/shared/schemas). */
export { AuthHeadersSchema } from '@wxauth/shared/schemas'
export { ROUTE_ERRORS, errorResponses, success } from './error-responses.js'

/** The session cookie, for the OpenAPI description. */
export const sessionSecurity = [{ session: [] }]
