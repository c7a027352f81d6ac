/**
 * The plugin's parts of an OpenAPI description, for an app that serves one with @fastify/swagger:
 * its routes carry TypeBox schemas, tags and the session security scheme; these are the tag and
 * scheme definitions to merge into the app's `openapi` options.
 *
 * ```ts
 * await app.register(fastifySwagger, { openapi: { ...wechatAuthOpenApi.document, info } })
 * ```
 */
import { CODE_HEADER, STATE_HEADER } from '@wxauth/shared'
import { SESSION_COOKIE, STATE_COOKIE } from './http/cookies.js'

/** A paragraph for the app's `info.description`. */
const DESCRIPTION =
  'WeChat Official Account web login (公众号网页授权) behind a session cookie. The AppSecret and ' +
  'every WeChat token stay on the server. Any protected route accepts ' +
  `\`${CODE_HEADER}\` + \`${STATE_HEADER}\` to log in with the code WeChat handed back, together ` +
  `with the \`${STATE_COOKIE}\` cookie that \`GET …/auth/authorize-url\` set. Over https the ` +
  `cookies carry the \`__Host-\` prefix (\`__Host-${SESSION_COOKIE}\`, \`__Host-${STATE_COOKIE}\`). ` +
  'Errors are `{ statusCode, code, message }`; 429 `RATE_LIMITED` comes with `Retry-After`.'

export const wechatAuthOpenApi = {
  description: DESCRIPTION,
  document: {
    openapi: '3.1.0',
    tags: [
      { name: 'auth', description: 'Starting and ending a login' },
      { name: 'me', description: 'The signed-in user' },
      { name: 'jssdk', description: 'WeChat JS-SDK (wx.config) signatures for pages of this site' },
    ],
    components: {
      securitySchemes: {
        session: { type: 'apiKey' as const, in: 'cookie' as const, name: SESSION_COOKIE },
      },
    },
  },
}
