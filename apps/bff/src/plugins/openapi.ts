/** The demo's OpenAPI description (from the routes' TypeBox schemas): UI at `/docs`, spec at `/docs/json`. */
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { wechatAuthOpenApi } from '@wxauth/fastify'

export default fp(
  async (app) => {
    const { document, description } = wechatAuthOpenApi
    await app.register(fastifySwagger, {
      openapi: {
        ...document,
        info: { title: 'wxauth demo BFF', version: '1.0.0', description },
        tags: [
          ...document.tags,
          { name: 'activity', description: 'The demo H5 activity' },
          { name: 'health', description: 'Liveness and readiness' },
        ],
      },
    })
    await app.register(fastifySwaggerUi, {
      routePrefix: '/docs',
      // The UI's own policy (its bundle styles itself inline), replacing the SPA's on its pages.
      staticCSP:
        "default-src 'self'; base-uri 'self'; font-src 'self' data:; frame-ancestors 'none'; " +
        "img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; " +
        "style-src 'self' 'unsafe-inline'",
    })
  },
  { name: 'wxauth-demo-openapi' },
)
