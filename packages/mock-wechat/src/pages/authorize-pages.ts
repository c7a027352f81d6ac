/**
 * The pages a user sees on the simulated open.weixin.qq.com: the consent page, WeChat's error
 * screen, the cancelled screen and the hop back to the app.
 */
import type { AuthorizePageError } from '../errors.js'
import type { Persona, PersonaId } from '../personas.js'
import { MOCK_NOTICE, escapeHtml, layout } from './html.js'

export interface ConsentPageInput {
  appName: string
  /** Form field tying the decision to the pending request. */
  ticket: string
  personas: ReadonlyArray<{ persona: Persona; headimgurl: string }>
  selected: PersonaId
}

/**
 * `#wechat_redirect` is a fragment, so the server never sees it; WeChat requires it ("无论直接打开
 * 还是做页面302重定向时候，必须带此参数"), so the page itself checks and warns.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/auth.html
 */
const HASH_CHECK = `if (location.hash !== '#wechat_redirect') {
  var w = document.querySelector('[data-test="mock-hash-warning"]'); if (w) w.style.display = 'block';
}`

/**
 * The snsapi_userinfo consent page: "xxx 申请获得以下权限：获得你的公开信息（昵称、头像等）", a
 * persona picker, 允许 / 拒绝. A plain form posting back to the simulator, so it works with or
 * without JS.
 */
export function consentPage(input: ConsentPageInput): string {
  const options = input.personas
    .map(({ persona, headimgurl }) => {
      const avatar = headimgurl
        ? `<img src="${escapeHtml(headimgurl.replace(/\/132$/, '/64'))}" alt="" width="40" height="40">`
        : '<span class="no-avatar">无头像</span>'
      return `<label class="persona" data-test="mock-persona-${escapeHtml(persona.id)}">
  <input type="radio" name="persona" value="${escapeHtml(persona.id)}"${persona.id === input.selected ? ' checked' : ''}>
  ${avatar}
  <span><span class="persona-name">${escapeHtml(persona.nickname)}</span><br>
  <span class="persona-desc">${escapeHtml(persona.id)} · ${escapeHtml(persona.description)}</span></span>
</label>`
    })
    .join('\n')
  const body = `<main class="page" data-test="mock-consent">
<div class="mock-banner">${escapeHtml(MOCK_NOTICE)}</div>
<div class="app"><span class="app-logo">公</span><span class="app-name">${escapeHtml(input.appName)}</span></div>
<h1>${escapeHtml(input.appName)} 申请获得以下权限：</h1>
<div class="perm">获得你的公开信息（昵称、头像等）</div>
<form method="post" action="/connect/oauth2/authorize/confirm">
<input type="hidden" name="ticket" value="${escapeHtml(input.ticket)}">
<div class="picker">
<div class="picker-title">以哪个测试用户身份授权（模拟器）</div>
${options}
</div>
<div class="btns">
<button class="btn btn-primary" type="submit" name="action" value="allow" data-test="mock-allow">允许</button>
<button class="btn btn-default" type="submit" name="action" value="deny" data-test="mock-deny">拒绝</button>
</div>
</form>
<p class="hash-warning" data-test="mock-hash-warning">授权链接缺少 #wechat_redirect：真实的微信要求授权链接以它结尾。</p>
<p class="foot">微信网页授权 · 模拟器</p>
</main>`
  return layout({ title: '微信授权', body, script: HASH_CHECK })
}

/**
 * WeChat's authorize error screen: the message and "错误码:NNNNN"; no redirect ever follows.
 * `data-errcode` carries the code (empty for errors WeChat shows without one).
 */
export function errorPage(error: AuthorizePageError): string {
  const code = error.errcode === undefined ? '' : String(error.errcode)
  const line = code ? `${error.message}，错误码:${code}` : error.message
  const body = `<main class="page msg" data-test="mock-error" data-errcode="${escapeHtml(code)}" data-error="${escapeHtml(error.key)}">
<div class="msg-icon warn">!</div>
<div class="msg-title">${escapeHtml(line)}</div>
${error.detail ? `<p class="msg-desc" data-test="mock-error-detail">${escapeHtml(error.detail)}</p>` : ''}
${code ? `<p class="msg-desc">错误码:${escapeHtml(code)}</p>` : ''}
<p class="foot">${escapeHtml(MOCK_NOTICE)}</p>
</main>`
  return layout({ title: '微信授权', body })
}

/** The user tapped 拒绝 and WeChat does not redirect: the page simply stays. */
export function cancelledPage(appName: string): string {
  const body = `<main class="page msg" data-test="mock-cancelled">
<div class="msg-icon info">i</div>
<div class="msg-title">已取消</div>
<p class="msg-desc">你已拒绝 ${escapeHtml(appName)} 获取你的公开信息。微信不会通知该网页，你可以关闭此页面。</p>
<p class="foot">${escapeHtml(MOCK_NOTICE)}</p>
</main>`
  return layout({ title: '已取消', body })
}

/**
 * The hop back to the app for a browser navigation. A plain 302 would make the browser carry the
 * authorize URL's `#wechat_redirect` over to the callback (a redirect without a fragment inherits
 * the request's), which WeChat never does; `location.replace` navigates to exactly `url`.
 */
export function redirectPage(url: string): string {
  const body = `<main class="page msg" data-test="mock-redirecting" data-href="${escapeHtml(url)}">
<div class="msg-title">正在跳转…</div>
<p class="msg-desc"><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>
<noscript><meta http-equiv="refresh" content="0;url=${escapeHtml(url)}"></noscript>
</main>`
  const script = `location.replace(document.querySelector('[data-test="mock-redirecting"]').getAttribute('data-href'))`
  return layout({ title: '微信授权', body, script })
}
