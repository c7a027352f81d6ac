/**
 * How the authorize step answers: the consent mode set by `POST /__mock/consent`, the persona
 * chosen last, and the consent pages waiting for 允许 / 拒绝.
 */
import { newOpaqueId } from './ids.js'
import type { PersonaId } from './personas.js'
import type { GrantedScope } from './state.js'

/** `page`: show the consent page; `allow` / `deny`: answer without it (scripted flows). */
export type ConsentAction = 'page' | 'allow' | 'deny'
/**
 * What a denial does. `none` (default) matches production: WeChat does not redirect ("无法监听用户
 * 取消", an official answer, https://developers.weixin.qq.com/community/develop/doc/000c8c095d07204ec0844330461000);
 * `state-only` follows the documentation: `redirect_uri?state=STATE`.
 */
export type DenyMode = 'none' | 'state-only'

export interface ConsentSettings {
  action: ConsentAction
  /** The persona chosen last: used for silent and scripted authorisations. */
  persona: PersonaId
  denyMode: DenyMode
}

/** An authorize request waiting on the consent page. */
export interface PendingAuthorization {
  appid: string
  redirectUri: string
  scope: GrantedScope
  /** `undefined`: the request had no `state` parameter (the callback then has none either). */
  state?: string
  createdAt: number
}

/** The consent page stays usable this long (simulator's choice; WeChat's is undocumented). */
const PENDING_TTL_MS = 10 * 60 * 1000

export const DEFAULT_CONSENT: Readonly<ConsentSettings> = {
  action: 'page',
  persona: 'alice',
  denyMode: 'none',
}

/** Consent mode, current persona and pending consent pages. */
export class ConsentState {
  private current: ConsentSettings = { ...DEFAULT_CONSENT }
  private pending = new Map<string, PendingAuthorization>()

  get settings(): Readonly<ConsentSettings> {
    return this.current
  }

  /** Change the mode; omitted fields keep their value. */
  update(change: Partial<ConsentSettings>): Readonly<ConsentSettings> {
    this.current = { ...this.current, ...change }
    return this.current
  }

  /** Remember a consent page; the returned ticket goes into its form. */
  open(request: PendingAuthorization): string {
    for (const [ticket, old] of this.pending) {
      if (request.createdAt > old.createdAt + PENDING_TTL_MS) this.pending.delete(ticket)
    }
    const ticket = newOpaqueId()
    this.pending.set(ticket, request)
    return ticket
  }

  /** The request behind a consent form, once (a second submit finds nothing). */
  take(ticket: string, now: number): PendingAuthorization | undefined {
    const request = this.pending.get(ticket)
    this.pending.delete(ticket)
    if (!request || now > request.createdAt + PENDING_TTL_MS) return undefined
    return request
  }

  reset(): void {
    this.current = { ...DEFAULT_CONSENT }
    this.pending.clear()
  }
}
