/**
 * The embedded CodeExchangeCoordinator: a pass-through. One process serves every request, and the
 * login service's in-process single-flight map (services/login.ts) already joins concurrent requests
 * carrying the same code, so there is nothing left to coordinate.
 */
import type { CodeExchangeCoordinator } from './types.js'

/** Create the in-process coordinator (embedded mode, and PostgreSQL without Redis). */
export function createLocalCodeExchangeCoordinator(): CodeExchangeCoordinator {
  return { run: (_codeHash, exchange) => exchange() }
}
