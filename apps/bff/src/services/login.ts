/**
 * The heart of DESIGN.md §3 steps 5–8: a WeChat `code` is exchanged exactly once, however many
 * requests carry it, and the web token it yields becomes a server-side session.
 *
 * - Single-flight: concurrent requests with the same code join one in-flight exchange (in process),
 *   and one instance at a time runs it (`stores.codeExchange`: a Redis lock in distributed mode).
 * - Outcome cache: the result (a session id, or a typed error) is kept 5 minutes under sha256(code),
 *   the code's own lifetime, so WeChat's duplicate callback, a reload or a late parallel request reuse
 *   it instead of getting `40163 code been used`. Transient failures are not cached.
 * - Nothing half-written: every WeChat call happens before the first write.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html (code: single use, 5 minutes)
 */
import type { FastifyBaseLogger } from 'fastify'
import { type ErrorCode, type Scope } from '@wxauth/shared'
import { grantsUserinfo, type WechatUserInfo } from '@wxauth/wechat'
import { WechatError, type WebToken, type WechatClient } from '@wxauth/wechat'
import type { Config } from '../config.js'
import { AppError, toErrorBody } from '../errors.js'
import type {
  CodeOutcome,
  SessionRecord,
  Stores,
  SessionWithUser,
  UserProfile,
  UserRecord,
} from '../stores/types.js'
import { codeLogHash, newSessionId, sha256Hex, type SessionKey } from './ids.js'
import { stateMismatch } from './state.js'
import type { TokenVault, WebTokens } from './token-vault.js'

/** Omit over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** A code lives 5 minutes ("5分钟未被使用自动过期"), so its outcome is worth keeping that long. */
export const CODE_OUTCOME_TTL_MS = 5 * 60_000
/**
 * "refresh_token拥有较长的有效期（30天）": fixed from the original grant, not renewed by refreshing.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsrefreshtoken
 */
export const REFRESH_TOKEN_LIFETIME_MS = 30 * 86_400_000
/** Snapshot-page guests get a short read-only session and nothing else. */
export const SNAPSHOT_SESSION_TTL_MS = 30 * 60_000
/** Refresh a web access token this long before WeChat says it expires (clock skew, slow calls). */
const ACCESS_TOKEN_MARGIN_MS = 60_000

/** Failures that may succeed on a retry: never cached (the code may still be consumed, see 40163). */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set([
  'WECHAT_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
])

/** The signed-in state of a request: the raw session id (from the cookie), the session, the user. */
export interface AuthContext extends SessionWithUser {
  sessionId: string
}

export interface LoginServiceDeps {
  config: Config
  wechat: WechatClient
  stores: Stores
  vault: TokenVault
  now: () => number
}

export interface LoginService {
  /** The live session for a session key, or null. */
  loadSession(key: SessionKey): Promise<AuthContext | null>
  /**
   * Exchange `code` once (joining an in-flight or cached exchange) relative to the caller's session.
   * `state` must already match the caller's state cookie; joining an exchange made with another
   * state fails with STATE_MISMATCH.
   */
  exchangeOnce(
    code: string,
    state: string,
    current: AuthContext | null,
    log: FastifyBaseLogger,
  ): Promise<CodeOutcome>
  /** The cached outcome of a code, if any (no exchange). */
  cachedOutcome(code: string): Promise<CodeOutcome | null>
  /** `POST /api/me/refresh`: fresh userinfo, refreshing the web token first when it has expired. */
  refreshProfile(auth: AuthContext): Promise<UserRecord>
}

/**
 * The stored profile from `sns/userinfo` for the openid we asked about; a unionid learnt earlier (the exchange response, or the
 * session) fills in when userinfo has none.
 */
function toProfile(
  openid: string,
  info: WechatUserInfo,
  knownUnionid: string | undefined,
): UserProfile {
  return {
    openid,
    unionid: info.unionid ?? knownUnionid,
    nickname: info.nickname,
    headimgurl: info.headimgurl,
    sex: info.sex,
    province: info.province,
    city: info.city,
    country: info.country,
    privilege: info.privilege,
  }
}

/** Create the login service. */
export function createLoginService(deps: LoginServiceDeps): LoginService {
  const { config, wechat, stores, vault, now } = deps
  const appid = config.wechatAppId
  const inFlight = new Map<string, { promise: Promise<CodeOutcome>; stateHash: string }>()

  async function loadSession(key: SessionKey): Promise<AuthContext | null> {
    const found = await stores.sessions.findWithUser(key.idHash, appid, now())
    return found === null ? null : { sessionId: key.id, session: found.session, user: found.user }
  }

  function toTokens(token: WebToken, startedAt: number): WebTokens {
    return {
      accessToken: token.access_token,
      refreshToken: token.refresh_token,
      accessExpiresAt: token.accessExpiresAt,
      refreshExpiresAt: startedAt + REFRESH_TOKEN_LIFETIME_MS,
    }
  }

  /**
   * The user behind a fresh (non-snapshot) token: `snsapi_base` → whatever is stored;
   * `snsapi_userinfo` → `sns/userinfo` only when the user is new or the profile is older than
   * PROFILE_TTL, then upsert. WeChat is called before anything is written.
   */
  async function resolveUser(token: WebToken, scope: Scope): Promise<UserRecord | null> {
    const existing = await stores.users.findByOpenid(appid, token.openid)
    const fresh =
      existing !== null && now() - existing.profileUpdatedAt < config.profileTtlSeconds * 1000
    if (scope === 'snsapi_base' || (existing && fresh)) {
      if (existing && token.unionid && !existing.unionid) {
        await stores.users.setUnionidIfMissing(existing.id, token.unionid)
        return { ...existing, unionid: token.unionid }
      }
      return existing
    }
    const info = await wechat.getUserInfo(token.access_token, token.openid, config.wechatLang)
    return stores.users.upsertProfile(appid, toProfile(token.openid, info, token.unionid), now())
  }

  async function createSession(
    fields: Omit<SessionRecord, 'idHash' | 'appid' | 'createdAt' | 'expiresAt'> & {
      tokens: WebTokens | null
      ttlMs: number
    },
  ): Promise<string> {
    const sessionId = newSessionId()
    const idHash = sha256Hex(sessionId)
    const createdAt = now()
    await stores.sessions.create({
      idHash,
      appid,
      userId: fields.userId,
      openid: fields.openid,
      unionid: fields.unionid,
      scope: fields.scope,
      snapshot: fields.snapshot,
      tokens: fields.tokens ? vault.seal(fields.tokens, idHash) : null,
      createdAt,
      expiresAt: createdAt + fields.ttlMs,
    })
    return sessionId
  }

  /** One real exchange and what follows it. Throws; the caller turns errors into outcomes. */
  async function runExchange(
    code: string,
    current: AuthContext | null,
  ): Promise<DistributiveOmit<CodeOutcome, 'stateHash'>> {
    const startedAt = now()
    const token = await wechat.exchangeCode(code)
    const scope: Scope = grantsUserinfo(token.scope) ? 'snsapi_userinfo' : 'snsapi_base'
    const sessionTtlMs = config.sessionTtlSeconds * 1000

    if (token.snapshot) {
      // 快照页 visitor: virtual identity. No user row, no openid, no tokens, a short session.
      // https://developers.weixin.qq.com/community/develop/doc/000c2c34068880629ced91a2f56001
      const sessionId = await createSession({
        userId: null,
        openid: null,
        unionid: null,
        scope,
        snapshot: true,
        tokens: null,
        ttlMs: Math.min(SNAPSHOT_SESSION_TTL_MS, sessionTtlMs),
      })
      return { ok: true, sessionId, openid: null, scope, snapshot: true }
    }

    const tokens = toTokens(token, startedAt)
    const same =
      current !== null && !current.session.snapshot && current.session.openid === token.openid
    if (current !== null && same) {
      const { session } = current
      if (scope === 'snsapi_userinfo' && session.scope === 'snsapi_base') {
        // Upgrade in place: same person, more permission.
        const user = await resolveUser(token, scope)
        await stores.sessions.update(session.idHash, {
          scope,
          userId: user?.id ?? null,
          unionid: user?.unionid ?? token.unionid ?? session.unionid,
          tokens: vault.seal(tokens, session.idHash),
        })
      } else if (scope === session.scope) {
        // Same grant again: keep the session, take the fresher tokens (a new 30-day refresh window).
        await stores.sessions.update(session.idHash, { tokens: vault.seal(tokens, session.idHash) })
      }
      // A lower grant (base after userinfo) leaves the richer session as it is.
      return {
        ok: true,
        sessionId: current.sessionId,
        openid: token.openid,
        scope: scope === 'snsapi_userinfo' ? scope : session.scope,
        snapshot: false,
      }
    }

    const user = await resolveUser(token, scope)
    const sessionId = await createSession({
      userId: user?.id ?? null,
      openid: token.openid,
      unionid: user?.unionid ?? token.unionid ?? null,
      scope,
      snapshot: false,
      tokens,
      ttlMs: sessionTtlMs,
    })
    return { ok: true, sessionId, openid: token.openid, scope, snapshot: false }
  }

  async function exchangeOnce(
    code: string,
    state: string,
    current: AuthContext | null,
    log: FastifyBaseLogger,
  ): Promise<CodeOutcome> {
    const hash = sha256Hex(code)
    const stateHash = sha256Hex(state)
    const running = inFlight.get(hash)
    if (running) {
      if (running.stateHash !== stateHash) throw stateMismatch()
      return running.promise
    }
    // Registered synchronously, before any await, so every concurrent request finds it; removed only
    // after the outcome is cached, so a later request finds the cache. Across instances the stores'
    // coordinator lets one of them run this at a time (a Redis lock in distributed mode), and the
    // others receive the outcome it produced.
    const promise = stores.codeExchange
      .run(hash, async (): Promise<CodeOutcome> => {
        // Re-read under the lock: another instance may have exchanged this code a moment ago.
        const cached = await stores.codeOutcomes.get(hash)
        if (cached) return cached
        const codeHash = codeLogHash(code)
        let outcome: CodeOutcome
        try {
          outcome = { ...(await runExchange(code, current)), stateHash }
          log.info({ codeHash, scope: outcome.ok ? outcome.scope : undefined }, 'code exchanged')
        } catch (error) {
          // toErrorBody logs WeChat failures (loudly for configuration errors) with the code's hash.
          const body = toErrorBody(error, log.child({ codeHash }))
          outcome = { ok: false, code: body.code, message: body.message, stateHash }
        }
        if (outcome.ok || !TRANSIENT.has(outcome.code)) {
          await stores.codeOutcomes.set(hash, outcome, CODE_OUTCOME_TTL_MS)
        }
        return outcome
      })
      .finally(() => inFlight.delete(hash))
    inFlight.set(hash, { promise, stateHash })
    const outcome = await promise
    if (outcome.stateHash !== stateHash) throw stateMismatch()
    return outcome
  }

  async function refreshTokens(auth: AuthContext, tokens: WebTokens): Promise<WebTokens> {
    const startedAt = now()
    const token = await wechat.refreshWebToken(tokens.refreshToken)
    const next: WebTokens = {
      ...toTokens(token, startedAt),
      // Refreshing does not renew the refresh_token's 30 days.
      refreshExpiresAt: tokens.refreshExpiresAt,
    }
    await stores.sessions.update(auth.session.idHash, {
      tokens: vault.seal(next, auth.session.idHash),
    })
    return next
  }

  async function refreshProfile(auth: AuthContext): Promise<UserRecord> {
    const { session } = auth
    if (session.snapshot) {
      throw new AppError('SNAPSHOT_USER', 'Snapshot-page visitors cannot load a WeChat profile')
    }
    if (session.scope !== 'snsapi_userinfo' || session.openid === null) {
      throw new AppError(
        'SCOPE_UPGRADE_REQUIRED',
        'This needs permission to read your WeChat profile',
      )
    }
    const openid = session.openid
    const sealed = await stores.sessions.getTokens(session.idHash)
    let tokens = sealed === null ? null : vault.open(sealed, session.idHash)
    if (tokens === null) {
      throw new AppError(
        'REAUTH_REQUIRED',
        'The WeChat authorisation has expired; please log in again',
      )
    }
    if (now() >= tokens.accessExpiresAt - ACCESS_TOKEN_MARGIN_MS) {
      tokens = await refreshTokens(auth, tokens)
    }
    let info
    try {
      info = await wechat.getUserInfo(tokens.accessToken, openid, config.wechatLang)
    } catch (error) {
      // Our clock said the token was alive but WeChat disagrees (42001/40001): refresh once, retry once.
      if (!(error instanceof WechatError) || error.kind !== 'token-expired') throw error
      tokens = await refreshTokens(auth, tokens)
      info = await wechat.getUserInfo(tokens.accessToken, openid, config.wechatLang)
    }
    const user = await stores.users.upsertProfile(
      appid,
      toProfile(openid, info, session.unionid ?? undefined),
      now(),
    )
    if (session.userId !== user.id)
      await stores.sessions.update(session.idHash, { userId: user.id })
    return user
  }

  return {
    loadSession,
    exchangeOnce,
    async cachedOutcome(code) {
      return stores.codeOutcomes.get(sha256Hex(code))
    },
    refreshProfile,
  }
}
