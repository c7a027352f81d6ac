/**
 * `@wxauth/vue/mock`: the mock of the `@wxauth/fastify` API for front-end work without a backend,
 * as MSW request handlers built on the same TypeBox schemas the real server serves
 * (`@wxauth/shared/schemas`). Runs in the browser (`@wxauth/vue/mock/browser` starts it in a
 * service worker for `pnpm dev:mock`) and in Node (`setupServer(...mock.handlers)` in tests).
 * Needs `msw` (an optional peer dependency). Never imported by production code.
 *
 *   const mock = createWechatAuthMock({ handlers: (mock) => [
 *     http.get(mock.path('/orders'), mock.requireUser(() => mock.json(OrdersSchema, []))),
 *   ] })
 *   setupServer(...mock.handlers).listen()
 */
export {
  MOCK_APP_ID,
  createWechatAuthMock,
  type MockAppState,
  type MockSignedInInfo,
  type ProtectedResolver,
  type ProtectedResolverInfo,
  type WechatAuthMock,
  type WechatAuthMockOptions,
} from './create-mock.js'
export {
  MOCK_AUTHORIZE_PATH,
  mockAuthorizeUrl,
  parseAuthorizeUrl,
  type ConsentDecision,
  type ConsentStep,
  type MockAuthorizeRequest,
} from './authorize.js'
export {
  CODE_TTL_MS,
  SESSION_TTL_MS,
  SNAPSHOT_SESSION_TTL_MS,
  publicUser,
  sessionInfo,
  type MockAuthResult,
  type MockCredentials,
  type MockFailure,
  type MockSignedIn,
} from './core.js'
export {
  MOCK_PERSONAS,
  MOCK_PERSONA_IDS,
  avatarDataUrl,
  isMockPersonaId,
  mockHeadimgurl,
  mockPersona,
  type MockPersona,
  type MockPersonaId,
} from './personas.js'
export { MockContractError, conform, errorResponse, json, schemaProblems } from './respond.js'
export {
  EXPIRED_SESSION_LIFE_MS,
  SCENARIOS,
  SCENARIO_NAMES,
  isScenarioName,
  type Scenario,
  type ScenarioName,
} from './scenarios.js'
export {
  MOCK_STATE_KEY,
  memoryStorage,
  type MockData,
  type MockSession,
  type MockStorage,
  type MockUser,
} from './state.js'
