/**
 * `@wxauth/shared/schemas`: the TypeBox schemas of the BFF API. The server validates and serializes
 * with them (response schemas are allowlists: a field not listed here never leaves), and the mock
 * BFF builds its answers from them. The SPA's production code imports the schema-free root instead,
 * so TypeBox never reaches its bundle.
 */
export * from './scope.js'
export * from './auth.js'
export * from './errors.js'
export * from './api.js'
export * from './activity.js'
