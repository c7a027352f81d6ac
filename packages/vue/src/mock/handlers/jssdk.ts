/**
 * `{baseURL}/jssdk/config` (the plugin's `jssdk` option): a `wx.config` signature for a page of
 * this origin. Signed like the real one (sha1 over `jsapi_ticket=…&noncestr=…&timestamp=…&url=…`),
 * over a ticket of the mock's own, so the shape and the checks are real; no WeChat accepts it.
 * @see https://developers.weixin.qq.com/doc/service/guide/h5/jssdk.html (附录1)
 */
import { HttpResponse, http, type HttpHandler } from 'msw'
import { JssdkConfigQuerySchema, JssdkConfigResponseSchema } from '@wxauth/shared/schemas'
import { pageUrlProblem, randomBase62 } from '../core.js'
import type { WechatAuthMock } from '../create-mock.js'
import { schemaProblems } from '../respond.js'

/**
 * WeChat's JS-SDK script, `https://res.wx.qq.com/open/js/jweixin-<version>.js`: answered by the
 * mock too, so a page in a WeChat user agent shares offline. The stand-in `wx` logs each call to
 * the console, fires `ready` after `config`, and answers every API with success.
 */
export const JSSDK_SCRIPT_PATTERN = 'https://res.wx.qq.com/open/js/:file'

/** The stand-in `window.wx` (plain ES5: it runs as a classic script). */
export const WX_STUB = `(function () {
  var log = function (name, args) { console.info('[@wxauth/vue/mock] wx.' + name, args) }
  var ready = [], isReady = false
  var api = {
    config: function (options) {
      log('config', options)
      setTimeout(function () { isReady = true; ready.splice(0).forEach(function (cb) { cb() }) }, 0)
    },
    ready: function (cb) { if (isReady) setTimeout(cb, 0); else ready.push(cb) },
    error: function () {}
  }
  window.wx = window.jWeixin = new Proxy(api, {
    get: function (target, name) {
      if (name in target) return target[name]
      return function (options) {
        log(String(name), options)
        if (options && typeof options.success === 'function') options.success({ errMsg: String(name) + ':ok' })
      }
    }
  })
})();
`

/** The mock's jsapi_ticket: only ever used to sign here. */
export const MOCK_JSAPI_TICKET = 'mock-jsapi-ticket-for-local-development-only'

/** sha1 hex of `text` (Web Crypto: browsers on localhost and Node alike). */
async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** `GET /jssdk/config?url=`, and the JS-SDK script itself. */
export function jssdkHandlers(mock: WechatAuthMock): HttpHandler[] {
  return [
    http.get(JSSDK_SCRIPT_PATTERN, ({ params }) =>
      /^jweixin-[\d.]+\.js$/.test(String(params.file))
        ? new HttpResponse(WX_STUB, {
            headers: { 'content-type': 'text/javascript; charset=utf-8' },
          })
        : undefined,
    ),

    http.get(mock.path('/jssdk/config'), async ({ request }) => {
      const requestUrl = new URL(request.url)
      const query = Object.fromEntries(requestUrl.searchParams)
      const problems = schemaProblems(JssdkConfigQuerySchema, query)
      if (problems.length > 0) return mock.error('VALIDATION_ERROR', `querystring${problems[0]}`)
      const url = query.url!
      const problem = pageUrlProblem(url, requestUrl.origin)
      if (problem !== null) return mock.error('VALIDATION_ERROR', problem)
      if (mock.state().scenario === 'unavailable') return mock.error('WECHAT_UNAVAILABLE')
      const timestamp = Math.floor(mock.now() / 1000)
      const nonceStr = randomBase62(16)
      const signature = await sha1Hex(
        `jsapi_ticket=${MOCK_JSAPI_TICKET}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`,
      )
      return mock.json(JssdkConfigResponseSchema, {
        appId: mock.appId,
        timestamp,
        nonceStr,
        signature,
      })
    }),
  ]
}
