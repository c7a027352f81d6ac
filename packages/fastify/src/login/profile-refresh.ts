/**
 * `POST {prefix}/me/refresh`: a fresh `sns/userinfo`, refreshing the web access token first when it
 * has expired (7200 s) with the refresh_token (30 days, not renewed by refreshing). A dead refresh
 * token (42002/40030/42007) ends in 401 REAUTH_REQUIRED.
 * @see https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsrefreshtoken
 */
import { WechatError } from '@wxauth/wechat'
import { ApiError } from '../errors/api-error.js'
import type { UserRecord } from '../stores/repositories.js'
import type { LoginDeps } from './deps.js'
import type { AuthContext, SessionService } from './sessions.js'
import { toTokens } from './sign-in.js'
import type { WebTokens } from './token-vault.js'
import { toProfile } from './users.js'

/** Refresh a web access token this long before WeChat says it expires (clock skew, slow calls). */
const ACCESS_TOKEN_MARGIN_MS = 60_000

/** Create the profile refresh. */
export function createProfileRefresh(
  deps: LoginDeps,
  sessions: SessionService,
): (auth: AuthContext) => Promise<UserRecord> {
  const { wechat, repositories, vault, settings, now } = deps

  async function refreshTokens(auth: AuthContext, tokens: WebTokens): Promise<WebTokens> {
    const startedAt = now()
    const token = await wechat.refreshWebToken(tokens.refreshToken)
    // Refreshing does not renew the refresh_token's 30 days.
    const next = { ...toTokens(token, startedAt), refreshExpiresAt: tokens.refreshExpiresAt }
    await sessions.sealTokens(auth.session, next)
    return next
  }

  return async function refreshProfile(auth) {
    const { session } = auth
    if (session.snapshot) {
      throw new ApiError('SNAPSHOT_USER', 'Snapshot-page visitors cannot load a WeChat profile')
    }
    if (session.scope !== 'snsapi_userinfo' || session.openid === null) {
      throw new ApiError('SCOPE_UPGRADE_REQUIRED')
    }
    const openid = session.openid
    const sealed = await repositories.sessions.getTokens(session.idHash)
    let tokens = sealed === null ? null : vault.open(sealed, session.idHash)
    if (tokens === null) throw new ApiError('REAUTH_REQUIRED')
    if (now() >= tokens.accessExpiresAt - ACCESS_TOKEN_MARGIN_MS) {
      tokens = await refreshTokens(auth, tokens)
    }
    let info
    try {
      info = await wechat.getUserInfo(tokens.accessToken, openid, settings.lang)
    } catch (error) {
      // Our clock said the token was alive but WeChat disagrees (42001/40001): refresh once, retry once.
      if (!(error instanceof WechatError) || error.kind !== 'token-expired') throw error
      tokens = await refreshTokens(auth, tokens)
      info = await wechat.getUserInfo(tokens.accessToken, openid, settings.lang)
    }
    const user = await repositories.users.upsertProfile(
      settings.appId,
      toProfile(openid, info, session.unionid ?? undefined),
      now(),
    )
    if (session.userId !== user.id) {
      await repositories.sessions.update(session.idHash, { userId: user.id })
    }
    return user
  }
}
