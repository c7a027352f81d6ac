/**
 * The embedded CodeExchangeCoordinator: a pass-through. One process serves every request, and the
 * code exchange's in-process single-flight (login/code-exchange.ts) already joins concurrent
 * requests carrying the same code, so there is nothing left to coordinate.
 */
import type { CodeExchangeCoordinator } from '../coordination.js'

/** Create the in-process coordinator (embedded mode, and PostgreSQL without Redis). */
export function createLocalCodeExchangeCoordinator(): CodeExchangeCoordinator {
  return { run: (_codeHash, exchange) => exchange() }
}
