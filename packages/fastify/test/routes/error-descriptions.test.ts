/**
 * The OpenAPI description of each route lists the errors it really answers, from one table
 * (src/routes/error-responses.ts); the harness checks every error answer of every suite against
 * it. These tests prove that check sees a lie, and read the description as a client would.
 */
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError, ROUTE_ERRORS, errorResponses } from '../../src/index.js'
import { build, leakLedger, recordBodies, type TestContext } from '../helper.js'

let ctx: TestContext
beforeAll(async () => {
  ctx = await build()
})
afterAll(async () => {
  await ctx?.close()
})

describe('route error descriptions', () => {
  it('a route answering a code it does not describe is caught by the harness', async () => {
    const app = Fastify()
    recordBodies(app)
    app.get('/lies', { schema: { response: errorResponses(['AUTH_REQUIRED']) } }, async () => {
      throw new ApiError('SNAPSHOT_USER')
    })
    app.setErrorHandler((error: ApiError, _request, reply) =>
      reply
        .status(error.statusCode)
        .send({ statusCode: error.statusCode, code: error.code, message: 'x' }),
    )
    await app.inject('/lies')
    await app.close()
    const undocumented = leakLedger().undocumented
    expect(undocumented).toEqual(['GET /lies answered 403, which it does not describe'])
    undocumented.splice(0) // planted on purpose: the file's own check must not fail for it
  })

  it('lists per route only its statuses, each code with its message and an example', async () => {
    const spec = (await ctx.app.inject('/docs/json')).json()
    const me = spec.paths['/api/me'].get
    expect(me.responses['200'].description).toBe('The user (or null) and the session facts')
    expect(Object.keys(me.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '429',
      '500',
      '503',
    ])
    const unauthorised = me.responses['401'].content['application/json']
    expect(unauthorised.schema.properties.code.enum.sort()).toEqual(
      ['AUTH_REQUIRED', 'CODE_INVALID', 'CODE_USED'].sort(),
    )
    expect(me.responses['401'].description).toContain('`AUTH_REQUIRED`: Please log in with WeChat')
    expect(unauthorised.schema.examples?.[0] ?? unauthorised.example).toMatchObject({
      statusCode: 401,
      code: 'AUTH_REQUIRED',
    })
    // The logout answers no 401 and no 403: it cannot.
    const logout = spec.paths['/api/auth/logout'].post
    expect(Object.keys(logout.responses)).not.toContain('401')
    expect(Object.keys(logout.responses)).not.toContain('403')
    expect(ROUTE_ERRORS.logout).not.toContain('AUTH_REQUIRED')
  })

  it('does not mark returnTo required, and documents its default', async () => {
    const spec = (await ctx.app.inject('/docs/json')).json()
    const params = spec.paths['/api/auth/authorize-url'].get.parameters as Array<{
      name: string
      required?: boolean
      schema: { default?: string }
    }>
    const returnTo = params.find((p) => p.name === 'returnTo')!
    expect(returnTo.required ?? false).toBe(false)
    expect(returnTo.schema.default).toBe('/')
    const session = spec.paths['/api/auth/session'].post
    expect(session.description).toMatch(/state cookie/)
    const body = session.requestBody.content['application/json'].schema
    expect(body.properties.code.description).toMatch(/single use/)
    expect(body.properties.state.description).toMatch(/state cookie/)
  })
})

describe('POST /api/auth/session without a JSON content type', () => {
  it.each([
    ['no content type', {}],
    ['text/plain', { 'content-type': 'text/plain' }],
  ])('%s: 415 UNSUPPORTED_MEDIA_TYPE', async (_name, headers) => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/session',
      headers,
      payload: 'code=x&state=y',
    })
    expect(response.statusCode).toBe(415)
    expect(response.json()).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' })
  })
})
