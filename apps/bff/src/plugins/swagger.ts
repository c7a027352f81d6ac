/** OpenAPI description of the BFF (from the routes' TypeBox schemas), UI at `/docs`, spec at `/docs/json`. */
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { CODE_HEADER, STATE_HEADER } from '@wxauth/shared'

export default fp(
  async (app) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'wxauth BFF',
          version: '1.0.0',
          description:
            'WeChat Official Account web login (公众号网页授权) behind a session cookie. The AppSecret and ' +
            'every WeChat token stay on the server. Any `/api` business route accepts ' +
            `\`${CODE_HEADER}\` + \`${STATE_HEADER}\` to log in with the code WeChat handed back. ` +
            'Errors are `{ statusCode, code, message }`.',
        },
        tags: [
          { name: 'auth', description: 'Starting and ending a login' },
          { name: 'me', description: 'The signed-in user' },
          { name: 'activity', description: 'The demo H5 activity' },
          {
            name: 'jssdk',
            description: 'WeChat JS-SDK (wx.config) signatures for pages of this site',
          },
          { name: 'health', description: 'Liveness and readiness' },
        ],
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'wxauth_sid' },
          },
        },
      },
    })
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' })
  },
  { name: 'wxauth-swagger' },
)
