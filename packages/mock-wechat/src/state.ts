/**
 * What the simulated WeChat remembers: OAuth codes, web tokens, global tokens (both kinds), jsapi
 * tickets and daily quotas. Each rule carries the WeChat doc it follows;
 * methods answer either a value or the errcode WeChat would send, and never throw for bad input.
 */
import { quotaDay } from './clock.js'
import { newCode, newGlobalToken, newTicket, newWebToken } from './ids.js'
import type { PersonaId } from './personas.js'
import type { DailyQuotas } from './settings.js'

/** A value, or the errcode WeChat answers instead. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; errcode: number }

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value })
const fail = <T>(errcode: number): Outcome<T> => ({ ok: false, errcode })

const SECOND = 1000

/**
 * "code只能使用一次，5分钟未被使用自动过期".
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 */
export const CODE_TTL_MS = 300 * SECOND
/**
 * Web access_token: `expires_in` 7200.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsaccesstoken
 */
export const WEB_TOKEN_TTL_MS = 7200 * SECOND
/**
 * "refresh_token有效期为30天" and it "无法续期": the expiry is absolute from the authorisation.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsrefreshtoken
 * @see https://developers.weixin.qq.com/doc/oplatform/Website_App/WeChat_Login/Authorized_Interface_Calling_UnionID.md
 */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * SECOND
/**
 * Global access_token: 7200 s; a new `cgi-bin/token` supersedes the previous one, and
 * "公众平台后台会保证在5分钟内，新老access_token都可用".
 * @see https://developers.weixin.qq.com/doc/service/guide/dev/api
 */
export const GLOBAL_TOKEN_TTL_MS = 7200 * SECOND
export const GLOBAL_TOKEN_OVERLAP_MS = 300 * SECOND
/**
 * stable_token: normal mode renews 5 minutes early (so `expires_in >= 300`); force mode is limited
 * (20 a day by default, see DailyQuotas), at least 30 s apart ("否则不会刷新": within 30 s it
 * returns the current token).
 * @see https://developers.weixin.qq.com/minigame/dev/api-backend/open-api/access-token/auth.getStableAccessToken.html
 */
export const STABLE_RENEW_WINDOW_MS = 300 * SECOND
export const STABLE_FORCE_INTERVAL_MS = 30 * SECOND
/**
 * Tickets: 7200 s, cached by WeChat. The JS-SDK's jsapi_ticket ("有效期7200秒…频繁刷新jsapi_ticket会
 * 导致api调用受限") and the card api_ticket (`type=wx_card`, "有效期为7200 秒") are separate tickets.
 * @see https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/JS-SDK.html
 */
export const TICKET_TTL_MS = 7200 * SECOND
/** The ticket types `cgi-bin/ticket/getticket` hands out (JS-SDK config, card JS API). */
export const TICKET_TYPES = ['jsapi', 'wx_card'] as const
export type TicketType = (typeof TICKET_TYPES)[number]

/** Scopes the authorize step grants. */
export type GrantedScope = 'snsapi_base' | 'snsapi_userinfo'

export interface CodeRecord {
  code: string
  appid: string
  persona: PersonaId
  scope: GrantedScope
  createdAt: number
  usedAt?: number
}

export interface WebTokenRecord {
  accessToken: string
  refreshToken: string
  appid: string
  persona: PersonaId
  openid: string
  unionid?: string
  scope: GrantedScope
  snapshot: boolean
  expiresAt: number
  /** Absolute: issue time + 30 days, never extended. */
  refreshExpiresAt: number
}

export interface GlobalTokenRecord {
  value: string
  appid: string
  source: 'token' | 'stable'
  issuedAt: number
  expiresAt: number
  /** Superseded or force-invalidated: dead from this moment (overlap already included). */
  deadAt?: number
}

export interface TicketRecord {
  ticket: string
  expiresAt: number
}

interface DailyCounter {
  day: number
  count: number
}

/** Rules that tests may switch. */
export interface StateRules {
  /** errcode for an expired code: 40029 (what developers usually see) or 42003. */
  expiredCodeErrcode: 40029 | 42003
  /** Calls per appid per day before 45009. */
  quotas: DailyQuotas
}

/** The daily counters of {@link DailyQuotas} other than force refreshes (those have their own). */
export type QuotaKind = 'token' | 'stableToken' | 'userInfo'

/** The simulated WeChat's memory. */
export class WechatState {
  private codes = new Map<string, CodeRecord>()
  private webByAccess = new Map<string, WebTokenRecord>()
  private webByRefresh = new Map<string, WebTokenRecord>()
  private globals = new Map<string, GlobalTokenRecord>()
  private currentToken = new Map<string, GlobalTokenRecord>()
  private currentStable = new Map<string, GlobalTokenRecord>()
  private stableForce = new Map<string, DailyCounter & { lastAt: number }>()
  private quotas = new Map<string, DailyCounter>()
  private tickets = new Map<string, TicketRecord & { appid: string }>()

  constructor(private readonly rules: StateRules) {}

  /** Forget the codes, tokens and tickets of these apps (quota counters stay). */
  forget(appids: ReadonlySet<string>): void {
    const drop = <V extends { appid: string }>(map: Map<string, V>) => {
      for (const [key, record] of map) if (appids.has(record.appid)) map.delete(key)
    }
    drop(this.codes)
    drop(this.webByAccess)
    drop(this.webByRefresh)
    drop(this.globals)
    drop(this.currentToken)
    drop(this.currentStable)
    drop(this.tickets)
  }

  /** Forget the daily counters of these apps (45009 and the force-refresh limit start over). */
  forgetQuotas(appids: ReadonlySet<string>): void {
    for (const appid of appids) this.stableForce.delete(appid)
    for (const key of [...this.quotas.keys()]) {
      if (appids.has(key.slice(key.indexOf('\u0000') + 1))) this.quotas.delete(key)
    }
  }

  // ---- Lookups (who a call is about; no rule applied) -------------------------------------------

  /** The record behind a code, used or not. */
  codeRecord(code: string): Readonly<CodeRecord> | undefined {
    return this.codes.get(code)
  }

  /** The web token record an access_token or refresh_token names, expired or not. */
  webTokenRecord(token: string): Readonly<WebTokenRecord> | undefined {
    return this.webByAccess.get(token) ?? this.webByRefresh.get(token)
  }

  /** The global token record a value names, dead or not. */
  globalTokenRecord(value: string): Readonly<GlobalTokenRecord> | undefined {
    return this.globals.get(value)
  }

  // ---- OAuth codes -------------------------------------------------------------------------------

  /** A fresh code for a persona's authorisation. */
  issueCode(appid: string, persona: PersonaId, scope: GrantedScope, now: number): CodeRecord {
    this.prune(now)
    const record: CodeRecord = { code: newCode(), appid, persona, scope, createdAt: now }
    this.codes.set(record.code, record)
    return record
  }

  /**
   * Mark a code used without answering with tokens: WeChat consumes a code on the first exchange
   * attempt whatever the outcome ("the second attempt gives 40163 even when the first attempt
   * failed", https://github.com/xu-li/cordova-plugin-wechat/issues/522).
   */
  consumeCode(code: string, appid: string, now: number): void {
    const record = this.codes.get(code)
    if (record && record.appid === appid && record.usedAt === undefined) record.usedAt = now
  }

  /**
   * `sns/oauth2/access_token` after the parameter and credential checks: unknown code or another
   * app's code 40029, used 40163, older than 5 minutes 40029 (or 42003); else web tokens.
   */
  exchangeCode(
    appid: string,
    code: string,
    now: number,
    identity: (persona: PersonaId) => { openid: string; unionid?: string; snapshot: boolean },
  ): Outcome<WebTokenRecord> {
    const record = this.codes.get(code)
    if (!record || record.appid !== appid) return fail(40029)
    if (record.usedAt !== undefined) return fail(40163)
    record.usedAt = now
    if (now >= record.createdAt + CODE_TTL_MS) return fail(this.rules.expiredCodeErrcode)
    const who = identity(record.persona)
    const token: WebTokenRecord = {
      accessToken: newWebToken(),
      refreshToken: newWebToken(),
      appid,
      persona: record.persona,
      openid: who.openid,
      scope: record.scope,
      snapshot: who.snapshot,
      expiresAt: now + WEB_TOKEN_TTL_MS,
      refreshExpiresAt: now + REFRESH_TOKEN_TTL_MS,
    }
    if (who.unionid !== undefined) token.unionid = who.unionid
    this.webByAccess.set(token.accessToken, token)
    this.webByRefresh.set(token.refreshToken, token)
    return ok(token)
  }

  // ---- Web tokens -------------------------------------------------------------------------------

  /**
   * `sns/oauth2/refresh_token`: unknown or another app's refresh_token 40030, past its absolute
   * 30 days 42002. Before the access_token expires: the same token, expiry extended ("相当于续期");
   * after: a new one (the old string is dead). The refresh_token string never changes.
   */
  refreshWebToken(appid: string, refreshToken: string, now: number): Outcome<WebTokenRecord> {
    const record = this.webByRefresh.get(refreshToken)
    if (!record || record.appid !== appid) return fail(40030)
    if (now >= record.refreshExpiresAt) return fail(42002)
    if (now >= record.expiresAt) {
      this.webByAccess.delete(record.accessToken)
      record.accessToken = newWebToken()
      this.webByAccess.set(record.accessToken, record)
    }
    record.expiresAt = now + WEB_TOKEN_TTL_MS
    return ok(record)
  }

  /**
   * A web access_token as `sns/userinfo` and `sns/auth` see it: unknown, replaced or a global token
   * 40001; past 7200 s 42001.
   */
  checkWebToken(accessToken: string, now: number): Outcome<WebTokenRecord> {
    const record = this.webByAccess.get(accessToken)
    if (!record) return fail(40001)
    if (now >= record.expiresAt) return fail(42001)
    return ok(record)
  }

  // ---- Global tokens ----------------------------------------------------------------------------

  /** Count one call against a daily quota: false once the app has used it up today (45009). */
  takeQuota(kind: QuotaKind, appid: string, now: number): boolean {
    return takeDaily(this.quotas, `${kind}\u0000${appid}`, now, this.rules.quotas[kind])
  }

  /**
   * `cgi-bin/token`: always a new token; the app's previous `cgi-bin/token` token stays usable for
   * 5 more minutes. Stable tokens are untouched ("完全隔离，互不影响").
   */
  issueGlobalToken(appid: string, now: number): GlobalTokenRecord {
    const previous = this.currentToken.get(appid)
    if (previous && previous.deadAt === undefined) {
      previous.deadAt = Math.min(previous.expiresAt, now + GLOBAL_TOKEN_OVERLAP_MS)
    }
    const record = this.addGlobal(appid, 'token', now)
    this.currentToken.set(appid, record)
    return record
  }

  /**
   * `cgi-bin/stable_token`. Normal mode: the current token while more than 5 minutes remain, else a
   * new one (the old one lives to its own expiry, at most 5 more minutes). Force mode: invalidates
   * the current token at once and issues a new one, unless the last force refresh was under 30 s
   * ago (then the current token) or 20 have happened today (45009).
   */
  stableToken(appid: string, forceRefresh: boolean, now: number): Outcome<GlobalTokenRecord> {
    const current = this.currentStable.get(appid)
    const alive = current !== undefined && this.globalAlive(current, now)
    if (forceRefresh) {
      const force = this.stableForce.get(appid)
      const today = quotaDay(now)
      if (alive && force && now - force.lastAt < STABLE_FORCE_INTERVAL_MS) return ok(current)
      const usedToday = force && force.day === today ? force.count : 0
      if (usedToday >= this.rules.quotas.stableForce) return fail(45009)
      if (current && current.deadAt === undefined) current.deadAt = now
      this.stableForce.set(appid, { day: today, count: usedToday + 1, lastAt: now })
    } else if (alive && current.expiresAt - now > STABLE_RENEW_WINDOW_MS) {
      return ok(current)
    }
    const record = this.addGlobal(appid, 'stable', now)
    this.currentStable.set(appid, record)
    return ok(record)
  }

  /**
   * A global token as `cgi-bin/*` sees it: a web token 40001, never issued 40014, past 7200 s
   * 42001, superseded past the overlap (or force-invalidated) 40001.
   */
  checkGlobalToken(value: string, now: number): Outcome<GlobalTokenRecord> {
    const record = this.globals.get(value)
    if (!record) return fail(this.webByAccess.has(value) ? 40001 : 40014)
    if (now >= record.expiresAt) return fail(42001)
    if (record.deadAt !== undefined && now >= record.deadAt) return fail(40001)
    return ok(record)
  }

  /** `cgi-bin/ticket/getticket`: the app's ticket of this type, a new one once it expired. */
  ticket(appid: string, type: TicketType, now: number): TicketRecord {
    const key = `${appid}\u0000${type}`
    const current = this.tickets.get(key)
    if (current && now < current.expiresAt) return current
    const record = { appid, ticket: newTicket(), expiresAt: now + TICKET_TTL_MS }
    this.tickets.set(key, record)
    return record
  }

  private addGlobal(appid: string, source: 'token' | 'stable', now: number): GlobalTokenRecord {
    const record: GlobalTokenRecord = {
      value: newGlobalToken(),
      appid,
      source,
      issuedAt: now,
      expiresAt: now + GLOBAL_TOKEN_TTL_MS,
    }
    this.globals.set(record.value, record)
    return record
  }

  private globalAlive(record: GlobalTokenRecord, now: number): boolean {
    return now < record.expiresAt && (record.deadAt === undefined || now < record.deadAt)
  }

  /**
   * A long-running dev server issues codes and tokens for days: drop what can no longer matter
   * (codes an hour past expiry, tokens past their refresh expiry). Only when the maps grow, so a
   * test never sees a record vanish.
   */
  private prune(now: number): void {
    if (this.codes.size > 10_000) {
      for (const [code, record] of this.codes) {
        if (now > record.createdAt + CODE_TTL_MS + 3600 * SECOND) this.codes.delete(code)
      }
    }
    if (this.webByRefresh.size > 10_000) {
      for (const [refresh, record] of this.webByRefresh) {
        if (now > record.refreshExpiresAt) {
          this.webByRefresh.delete(refresh)
          this.webByAccess.delete(record.accessToken)
        }
      }
    }
  }
}

function takeDaily(
  counters: Map<string, DailyCounter>,
  key: string,
  now: number,
  limit: number,
): boolean {
  const day = quotaDay(now)
  const counter = counters.get(key)
  const count = counter && counter.day === day ? counter.count : 0
  if (count >= limit) return false
  counters.set(key, { day, count: count + 1 })
  return true
}
