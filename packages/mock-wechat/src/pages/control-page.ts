/**
 * `GET /__mock`: the developer's dashboard. Rendered on the server (every value escaped); the small
 * script only turns the forms into JSON posts to the control endpoints and reloads.
 */
import type { CallRecord } from '../calls.js'
import type { ConsentSettings } from '../consent.js'
import { ENDPOINTS, type FaultSpec } from '../faults.js'
import type { Persona } from '../personas.js'
import { MOCK_NOTICE, escapeHtml, layout } from './html.js'

export interface ControlPageInput {
  /** The namespace shown, and every namespace (links switch between them). */
  namespace: string
  namespaces: readonly string[]
  consent: Readonly<ConsentSettings>
  latencyMs: number
  clockOffsetSeconds: number
  now: string
  faults: FaultSpec[]
  personas: ReadonlyArray<{ persona: Persona; headimgurl: string; unionid?: string }>
  apps: ReadonlyArray<{ appid: string; name: string; domains: readonly string[]; tryUrl?: string }>
  calls: CallRecord[]
  counts: Record<string, number>
}

const CSS = `
.page.wide{max-width:1080px}
h2{font-size:17px;margin:28px 0 10px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid rgba(0,0,0,.08);padding:6px 8px;text-align:left;vertical-align:middle}
th{color:rgba(0,0,0,.5);font-weight:500}
td code{font-size:12px;word-break:break-all}
form.row{display:flex;flex-wrap:wrap;gap:8px;align-items:center;font-size:14px;margin:6px 0}
input,select,button{font:inherit;font-size:14px;padding:4px 8px}
button{background:#07c160;color:#fff;border:0;border-radius:4px;cursor:pointer}
button.danger{background:#fa5151}
.state{font-size:14px;color:rgba(0,0,0,.7)}
.avatar{width:32px;height:32px;border-radius:4px}
.err{color:#fa5151}
#result{font-size:13px;color:#fa5151;min-height:1em}
`

const SCRIPT = `
document.querySelectorAll('form[data-endpoint]').forEach(function (form) {
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var body = {};
    new FormData(form).forEach(function (value, key) {
      if (value === '') return;
      var field = form.elements.namedItem(key);
      body[key] = field && field.getAttribute('data-number') !== null ? Number(value) : value;
    });
    fetch(form.getAttribute('data-endpoint'), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body)
    }).then(function (res) {
      if (res.ok) { location.reload(); return; }
      return res.json().then(function (e) { document.getElementById('result').textContent = e.message || res.status; });
    });
  });
});
`

function options(values: readonly string[], selected?: string): string {
  return values
    .map(
      (v) =>
        `<option value="${escapeHtml(v)}"${v === selected ? ' selected' : ''}>${escapeHtml(v)}</option>`,
    )
    .join('')
}

/** The control page's HTML. */
export function controlPage(input: ControlPageInput): string {
  // Forms post to the shown namespace's control plane.
  const suffix =
    input.namespace === 'default' ? '' : `?namespace=${encodeURIComponent(input.namespace)}`
  const endpoint = (path: string) => escapeHtml(`/__mock/${path}${suffix}`)
  const namespaceLinks = input.namespaces
    .map((name) =>
      name === input.namespace
        ? `<strong>${escapeHtml(name)}</strong>`
        : `<a href="/__mock?namespace=${escapeHtml(encodeURIComponent(name))}">${escapeHtml(name)}</a>`,
    )
    .join(' · ')
  const personaIds = input.personas.map((p) => p.persona.id)
  const personaRows = input.personas
    .map(
      ({ persona, headimgurl, unionid }) => `<tr>
<td>${headimgurl ? `<img class="avatar" src="${escapeHtml(headimgurl)}" alt="">` : '—'}</td>
<td><code>${escapeHtml(persona.id)}</code></td><td>${escapeHtml(persona.nickname)}</td>
<td>${escapeHtml(persona.description)}</td><td><code>${escapeHtml(unionid ?? '—')}</code></td>
<td>${persona.subscribed ? '是' : '否'}</td><td>${persona.snapshot ? '是' : '否'}</td></tr>`,
    )
    .join('')
  const appRows = input.apps
    .map(
      (a) => `<tr><td><code>${escapeHtml(a.appid)}</code></td><td>${escapeHtml(a.name)}</td>
<td>${escapeHtml(a.domains.join(', '))}</td>
<td>${a.tryUrl ? `<a href="${escapeHtml(a.tryUrl)}">试一次 snsapi_userinfo 授权</a>` : '—'}</td></tr>`,
    )
    .join('')
  const faultRows = input.faults.length
    ? input.faults
        .map(
          (f) =>
            `<li><code>${escapeHtml(f.endpoint)}</code> → ${escapeHtml(f.mode)}${f.errcode === undefined ? '' : ` ${escapeHtml(f.errcode)}`} × ${escapeHtml(f.times)}</li>`,
        )
        .join('')
    : '<li>无</li>'
  const callRows = [...input.calls]
    .reverse()
    .slice(0, 100)
    .map(
      (c) => `<tr><td>${escapeHtml(c.at)}</td><td>${escapeHtml(c.method)}</td>
<td><code>${escapeHtml(c.endpoint)}</code></td>
<td class="${c.errcode || c.fault ? 'err' : ''}">${escapeHtml(c.errcode ?? '')}${c.fault ? ` (${escapeHtml(c.fault)})` : ''}</td>
<td><code>${escapeHtml(new URLSearchParams(c.params).toString())}</code></td></tr>`,
    )
    .join('')
  const counts = Object.entries(input.counts)
    .map(([endpoint, n]) => `<code>${escapeHtml(endpoint)}</code>: ${escapeHtml(n)}`)
    .join(' · ')

  const body = `<main class="page wide" data-test="mock-control">
<div class="mock-banner">${escapeHtml(MOCK_NOTICE)}</div>
<h1>微信模拟器控制台</h1>
<p class="state">模拟时间 <code>${escapeHtml(input.now)}</code>（偏移 ${escapeHtml(input.clockOffsetSeconds)} 秒）·
延迟 ${escapeHtml(input.latencyMs)} ms · 授权方式 <code>${escapeHtml(input.consent.action)}</code> ·
当前用户 <code>${escapeHtml(input.consent.persona)}</code> · 拒绝后 <code>${escapeHtml(input.consent.denyMode)}</code>
· <a href="/__mock${escapeHtml(suffix)}">刷新</a></p>
<p class="state" data-test="mock-namespaces">命名空间 ${namespaceLinks}</p>
<p id="result"></p>

<h2>授权页行为 <small>POST /__mock/consent</small></h2>
<form class="row" data-endpoint="${endpoint('consent')}">
<label>action <select name="action">${options(['page', 'allow', 'deny'], input.consent.action)}</select></label>
<label>persona <select name="persona">${options(personaIds, input.consent.persona)}</select></label>
<label>denyMode <select name="denyMode">${options(['none', 'state-only'], input.consent.denyMode)}</select></label>
<button type="submit">应用</button>
</form>

<h2>注入故障 <small>POST /__mock/fail</small></h2>
<form class="row" data-endpoint="${endpoint('fail')}">
<label>endpoint <select name="endpoint">${options(ENDPOINTS)}</select></label>
<label>mode <select name="mode">${options(['errcode', 'timeout', 'garbage', 'http500'])}</select></label>
<label>errcode <input name="errcode" data-number size="7" placeholder="-1"></label>
<label>times <input name="times" data-number size="3" value="1"></label>
<button type="submit">排队</button>
</form>
<ul class="state">${faultRows}</ul>

<h2>延迟与时钟 <small>POST /__mock/latency · POST /__mock/clock</small></h2>
<form class="row" data-endpoint="${endpoint('latency')}">
<label>每次调用延迟 ms <input name="ms" data-number size="6" value="${escapeHtml(input.latencyMs)}"></label>
<button type="submit">设置</button>
</form>
<form class="row" data-endpoint="${endpoint('clock')}">
<label>时钟前进秒数 <input name="advanceSeconds" data-number size="9" placeholder="7200"></label>
<button type="submit">前进</button>
</form>
<form class="row" data-endpoint="${endpoint('reset')}">
<button class="danger" type="submit">全部重置（POST /__mock/reset）</button>
</form>

<h2>测试用户 <small>GET /__mock/personas</small></h2>
<table><tr><th></th><th>id</th><th>昵称</th><th>说明</th><th>unionid</th><th>已关注</th><th>快照页</th></tr>${personaRows}</table>

<h2>公众号 <small>GET /__mock/apps</small></h2>
<table><tr><th>appid</th><th>名称</th><th>网页授权域名</th><th></th></tr>${appRows}</table>

<h2>调用记录 <small>GET /__mock/calls</small></h2>
<p class="state">${counts || '还没有调用'}</p>
<table><tr><th>时间（模拟）</th><th></th><th>endpoint</th><th>errcode</th><th>参数（已遮蔽）</th></tr>${callRows}</table>
</main>`
  return layout({ title: '微信模拟器控制台', body, script: SCRIPT, css: CSS })
}
