/**
 * Development-only checks and long error messages, as Vue and pinia do: bundlers replace
 * `process.env.NODE_ENV` in an app's production build, so everything behind {@link DEV} is dropped
 * from it. Node and test runners keep it (`test`, `development` or unset).
 */

// Module-scoped, so the library needs no Node types; at run time it is the bundler's constant (or
// Node's `process`).
declare const process: { env: { NODE_ENV?: string } }

/** Not a production build. */
export const DEV: boolean = process.env.NODE_ENV !== 'production'
