/**
 * The login, assembled: sessions, the once-only code exchange and the profile refresh over one set
 * of dependencies. The HTTP side (http/auth-hooks.ts, routes/) uses only this.
 */
import { createCodeExchange, type CodeExchange } from './code-exchange.js'
import type { LoginDeps } from './deps.js'
import { createProfileRefresh } from './profile-refresh.js'
import { createSessionService, type AuthContext, type SessionService } from './sessions.js'
import type { UserRecord } from '../stores/repositories.js'

export type { AuthContext } from './sessions.js'
export type { LoginDeps } from './deps.js'

export interface Login extends CodeExchange {
  sessions: SessionService
  /** `POST {prefix}/me/refresh`. */
  refreshProfile(auth: AuthContext): Promise<UserRecord>
}

/** Build the login from its dependencies. */
export function createLogin(deps: LoginDeps): Login {
  const sessions = createSessionService(deps)
  return {
    ...createCodeExchange(deps, sessions),
    sessions,
    refreshProfile: createProfileRefresh(deps, sessions),
  }
}
