/**
 * The mock WeChat authorize page, drawn in the page the Vite plugin serves at
 * {@link MOCK_AUTHORIZE_PATH}: a silent redirect for `snsapi_base`, the consent page for
 * `snsapi_userinfo` (WeUI look, inline CSS, no network), 允许 / 拒绝. Its `data-test` hooks are
 * the simulator's (`mock-consent`, `mock-persona-<id>`, `mock-allow`, `mock-deny`), so the same
 * end-to-end steps drive both. It shares the tab's mock state with the page it came from, so the
 * code it hands out is one the mock BFF knows.
 */
import type { WechatAuthMock } from './create-mock.js'
import { MOCK_PERSONAS, mockHeadimgurl, type MockPersonaId } from './personas.js'

/** Escape text for HTML element content and quoted attributes. */
function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** WeUI's look (system font, #ededed, #07c160), the subset this page needs. */
export const CONSENT_CSS = `
*{box-sizing:border-box}html,body{margin:0;padding:0}
body{font-family:system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei",sans-serif;
background:#ededed;color:rgba(0,0,0,.9);font-size:17px;line-height:1.4;-webkit-text-size-adjust:100%}
.page{max-width:480px;margin:0 auto;min-height:100vh;background:#fff;padding:24px 24px 32px}
.banner{font-size:12px;color:#b26a00;background:#fff7e6;border-radius:4px;padding:6px 10px;margin:0 0 16px}
.app{display:flex;align-items:center;gap:10px;margin:8px 0 24px}
.app-logo{width:36px;height:36px;border-radius:8px;background:#07c160;color:#fff;display:flex;
align-items:center;justify-content:center;font-weight:600}
.app-name{font-size:15px;color:rgba(0,0,0,.55)}
h1{font-size:22px;font-weight:500;margin:0 0 8px}
.perm{font-size:15px;color:rgba(0,0,0,.55);padding:12px 0 16px;border-bottom:1px solid rgba(0,0,0,.1);margin:0}
.picker{margin:16px 0 24px;border:0;padding:0}
.picker legend{font-size:14px;color:rgba(0,0,0,.55);margin-bottom:8px;padding:0}
.persona{display:flex;align-items:center;gap:12px;padding:10px 4px;border-bottom:1px solid rgba(0,0,0,.06);cursor:pointer}
.persona input{accent-color:#07c160;width:18px;height:18px;margin:0}
.persona img,.persona .no-avatar{width:40px;height:40px;border-radius:4px;flex:none;background:#f2f2f2}
.persona .no-avatar{display:flex;align-items:center;justify-content:center;color:#767676;font-size:12px}
.persona-name{font-size:16px}.persona-desc{font-size:13px;color:rgba(0,0,0,.55)}
.btns{display:flex;flex-direction:column;align-items:center;gap:16px;margin-top:24px}
.btn{display:block;width:184px;padding:10px 24px;border:0;border-radius:8px;font-size:17px;font-weight:600;
text-align:center;cursor:pointer;font-family:inherit}
.btn:focus-visible{outline:2px solid #07c160;outline-offset:2px}
.btn-primary{background:#07c160;color:#fff}.btn-primary:active{background:#06ad56}
.btn-default{background:#f2f2f2;color:#06ae56}.btn-default:active{background:#e6e6e6}
.msg{text-align:center;padding-top:48px}
.msg-title{font-size:22px;font-weight:500;margin:0 0 12px;word-break:break-all}
.msg-desc{font-size:15px;color:rgba(0,0,0,.55);word-break:break-all}
.foot{margin-top:32px;font-size:12px;color:rgba(0,0,0,.45);text-align:center}
`

const NOTICE = '本页由 pnpm dev:mock 的模拟后端生成，不是真实的微信。'

/** The consent page's markup for `selected` preselected. */
export function consentMarkup(appName: string, selected: MockPersonaId): string {
  const options = MOCK_PERSONAS.map((persona) => {
    const headimgurl = mockHeadimgurl(persona.id)
    const avatar = headimgurl
      ? `<img src="${escapeHtml(headimgurl)}" alt="" width="40" height="40">`
      : '<span class="no-avatar" aria-hidden="true">无头像</span>'
    return `<label class="persona" data-test="mock-persona-${persona.id}">
<input type="radio" name="persona" value="${persona.id}"${persona.id === selected ? ' checked' : ''}>
${avatar}
<span><span class="persona-name">${escapeHtml(persona.nickname)}</span><br>
<span class="persona-desc">${persona.id} · ${escapeHtml(persona.description)}</span></span>
</label>`
  }).join('\n')
  return `<main class="page" data-test="mock-consent">
<p class="banner">${NOTICE}</p>
<div class="app"><span class="app-logo" aria-hidden="true">公</span><span class="app-name">${escapeHtml(appName)}</span></div>
<h1>${escapeHtml(appName)} 申请获得以下权限：</h1>
<p class="perm">获得你的公开信息（昵称、头像等）</p>
<form>
<fieldset class="picker"><legend>以哪个测试用户身份授权（模拟）</legend>
${options}
</fieldset>
<div class="btns">
<button class="btn btn-primary" type="submit" value="allow" data-test="mock-allow">允许</button>
<button class="btn btn-default" type="button" value="deny" data-test="mock-deny">拒绝</button>
</div>
</form>
<p class="foot">微信网页授权 · 模拟</p>
</main>`
}

/** A WeChat-style message page (an error, or the moment before a redirect). */
function messageMarkup(title: string, desc: string, test: string): string {
  return `<main class="page msg" data-test="${test}">
<h1 class="msg-title">${escapeHtml(title)}</h1>
<p class="msg-desc">${escapeHtml(desc)}</p>
<p class="foot">${NOTICE}</p>
</main>`
}

/** Options of {@link mountConsentPage}. */
export interface ConsentPageOptions {
  /** The name shown as "xxx 申请获得以下权限". */
  appName?: string
  /** The page (tests pass a stand-in); the global `window` by default. */
  window?: Window
}

/**
 * Draw the authorize page for the current URL and answer it: a redirect right away (silent login,
 * the `cancelled` scenario), or the consent page waiting for 允许 / 拒绝.
 */
export function mountConsentPage(mock: WechatAuthMock, options: ConsentPageOptions = {}): void {
  const win = options.window ?? window
  const doc = win.document
  const href = win.location.href
  const appName = options.appName ?? 'wxauth 示例公众号'
  doc.title = '微信授权'
  const style = doc.createElement('style')
  style.textContent = CONSENT_CSS
  doc.head.appendChild(style)

  const step = mock.consentStep(href)
  if (step.kind === 'error') {
    doc.body.innerHTML = messageMarkup(step.message, '授权链接有误，不会跳转。', 'mock-error')
    return
  }
  if (step.kind === 'redirect') {
    doc.body.innerHTML = messageMarkup('正在跳转…', step.location, 'mock-redirecting')
    // Like WeChat: the authorize page is replaced, so back never lands on it again.
    win.location.replace(step.location)
    return
  }
  doc.body.innerHTML = consentMarkup(appName, step.persona)
  const form = doc.querySelector('form')!
  const answer = (action: 'allow' | 'deny') => {
    const checked = form.querySelector<HTMLInputElement>('input[name=persona]:checked')
    const persona = (checked?.value ?? step.persona) as MockPersonaId
    win.location.replace(mock.decide(href, { action, persona }))
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    answer('allow')
  })
  doc.querySelector('[data-test=mock-deny]')!.addEventListener('click', () => answer('deny'))
}
