import { describe, expect, it } from 'vitest'
import { PERSONAS } from '../../src/index.js'
import {
  cancelledPage,
  consentPage,
  errorPage,
  redirectPage,
} from '../../src/pages/authorize-pages.js'
import { escapeHtml } from '../../src/pages/html.js'

const EVIL = '"><script>alert(1)</script>'

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    )
  })
})

describe('authorize pages', () => {
  it('escape every interpolated value', () => {
    const pages = [
      consentPage({
        appName: EVIL,
        ticket: EVIL,
        personas: PERSONAS.map((persona) => ({ persona, headimgurl: `http://x/${EVIL}/132` })),
        selected: 'alice',
      }),
      errorPage({ key: 'k', message: EVIL, errcode: 10003 }),
      cancelledPage(EVIL),
      redirectPage(`http://127.0.0.1:5173/?code=${EVIL}`),
    ]
    for (const html of pages) {
      expect(html).not.toContain('<script>alert(1)</script>')
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    }
  })

  it('show WeChat’s error line "message，错误码:NNNNN" with the code in data-errcode', () => {
    const html = errorPage({
      key: 'redirect-uri-domain',
      message: 'redirect_uri域名与后台配置不一致',
      errcode: 10003,
    })
    expect(html).toContain('data-test="mock-error" data-errcode="10003"')
    expect(html).toContain('redirect_uri域名与后台配置不一致，错误码:10003')
  })

  it('show a code-less error without 错误码', () => {
    const html = errorPage({ key: 'state-too-long', message: 'state参数过长' })
    expect(html).toContain('data-errcode=""')
    expect(html).not.toContain('错误码')
  })
})
