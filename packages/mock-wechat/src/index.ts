export { buildMockWechat, type MockWechatOptions } from './app.js'
export {
  DEFAULT_APP,
  MockAppSchema,
  loadMockAppsFromEnv,
  isAuthorisedHost,
  checkRedirectUri,
  type MockApp,
} from './apps.js'
export { ORDER_CHECKS, DEFAULT_QUOTAS, type OrderCheck, type DailyQuotas } from './settings.js'
export { RESET_PARTS, type ResetPart } from './context.js'
export { DEFAULT_NAMESPACE } from './namespaces.js'
export {
  PERSONAS,
  PERSONA_IDS,
  AVATAR_SIZES,
  getPersona,
  openidFor,
  unionidFor,
  type Persona,
  type PersonaId,
} from './personas.js'
export { ENDPOINTS, type Endpoint, type FaultMode } from './faults.js'
export type { ConsentAction, ConsentSettings, DenyMode } from './consent.js'
export type { CallRecord } from './calls.js'
export { AUTHORIZE_ERRORS, ERRMSG } from './errors.js'
export { callbackUrl } from './authorize-request.js'
