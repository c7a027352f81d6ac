import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { http } from 'msw'
import { setupServer } from 'msw/node'
import Type from 'typebox'
import { CODE_HEADER, STATE_HEADER, parseAuthParams, type MeResponse } from '@wxauth/shared'
import { MOCK_AUTHORIZE_PATH } from './authorize.js'
import { createWechatAuthMock } from './create-mock.js'
import { MockContractError } from './respond.js'
import { EXPIRED_SESSION_LIFE_MS } from './scenarios.js'

let clock = Date.parse('2026-02-01T08:00:00.000Z')
const mock = createWechatAuthMock({
  now: () => clock,
  handlers: (m) => [
    http.get(
      m.path('/orders'),
      m.requireProfile(({ wechatUser }) =>
        m.json(Type.Object({ owner: Type.String() }), { owner: wechatUser!.nickname }),
      ),
    ),
    http.get(m.path('/broken'), () =>
      // a body the schema refuses: the mock must not send it
      m.json(Type.Object({ n: Type.Integer() }), { n: 'one' as unknown as number }),
    ),
  ],
})
const server = setupServer(...mock.handlers)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => mock.useScenario('new', 'alice'))
afterAll(() => server.close())

/** One request to the mock; the tab's "cookies" are the mock's own state. */
async function call(
  path: string,
  init: { method?: string; headers?: Record<string, string> } = {},
) {
  const response = await fetch(path, init)
  const text = await response.text()
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  }
}

/** authorize-url → the mock authorize page (silent, or 允许 as `persona`) → the callback's code/state. */
async function authorize(scope: 'snsapi_base' | 'snsapi_userinfo', persona?: 'emoji') {
  const { body } = await call(`/api/auth/authorize-url?returnTo=%2Fme&scope=${scope}`)
  const url = String(body?.url)
  const step = mock.consentStep(url)
  const location =
    step.kind === 'redirect'
      ? step.location
      : step.kind === 'page'
        ? mock.decide(url, { action: 'allow', ...(persona ? { persona } : {}) })
        : step.message
  return { url, location, ...parseAuthParams(location) }
}

async function login(scope: 'snsapi_base' | 'snsapi_userinfo', persona?: 'emoji') {
  const { code, state } = await authorize(scope, persona)
  return call('/api/me', { headers: { [CODE_HEADER]: code!, [STATE_HEADER]: state! } })
}

describe('GET /api/auth/authorize-url', () => {
  it('answers a state and a same-origin authorize URL in WeChat’s parameter order', async () => {
    const { status, body } = await call(
      '/api/auth/authorize-url?returnTo=%2Fme%3Ftab%3D1&scope=snsapi_userinfo',
    )
    expect(status).toBe(200)
    const url = new URL(String(body?.url))
    expect(url.origin).toBe(location.origin)
    expect(url.pathname).toBe(MOCK_AUTHORIZE_PATH)
    expect([...url.searchParams.keys()]).toEqual([
      'appid',
      'redirect_uri',
      'response_type',
      'scope',
      'state',
    ])
    expect(url.searchParams.get('redirect_uri')).toBe(`${location.origin}/me?tab=1`)
    expect(url.searchParams.get('state')).toBe(body?.state)
    expect(url.hash).toBe('#wechat_redirect')
    expect(String(body?.state)).toMatch(/^[A-Za-z0-9]{32}$/)
  })

  it.each(['https://evil.example/', '//evil.example/', '/\\evil', 'me'])(
    'refuses returnTo=%s with 400 VALIDATION_ERROR',
    async (returnTo) => {
      const { status, body } = await call(
        `/api/auth/authorize-url?returnTo=${encodeURIComponent(returnTo)}`,
      )
      expect(status).toBe(400)
      expect(body?.code).toBe('VALIDATION_ERROR')
    },
  )

  it('refuses an unknown scope with 400 VALIDATION_ERROR', async () => {
    const { status, body } = await call('/api/auth/authorize-url?scope=snsapi_login')
    expect([status, body?.code]).toEqual([400, 'VALIDATION_ERROR'])
  })
})

describe('the login (scenario new)', () => {
  it('without a session or a code answers 401 AUTH_REQUIRED', async () => {
    const { status, body } = await call('/api/me')
    expect(status).toBe(401)
    expect(body).toEqual({
      statusCode: 401,
      code: 'AUTH_REQUIRED',
      message: 'Please log in with WeChat',
    })
  })

  it('a silent login is a base session without a profile; the session then sticks', async () => {
    const first = await login('snsapi_base')
    expect(first.status).toBe(200)
    const me = first.body as unknown as MeResponse
    expect(me.user).toBeNull()
    expect(me.session).toEqual({
      scope: 'snsapi_base',
      snapshot: false,
      expiresAt: new Date(clock + 7 * 86_400_000).toISOString(),
    })
    expect((await call('/api/me')).status).toBe(200)
  })

  it('consent stores the chosen persona’s profile and upgrades the session in place', async () => {
    await login('snsapi_base')
    expect((await call('/api/orders')).body?.code).toBe('SCOPE_UPGRADE_REQUIRED')
    const { body } = await login('snsapi_userinfo', 'emoji')
    const me = body as unknown as MeResponse
    expect(me.user?.nickname).toBe('🌸樱花酱🍡 Sakura ✨')
    expect(me.session.scope).toBe('snsapi_userinfo')
    expect((await call('/api/orders')).body).toEqual({ owner: '🌸樱花酱🍡 Sakura ✨' })
  })

  it('a code is exchanged once: a second request with it and the session changes nothing', async () => {
    const { code, state } = await authorize('snsapi_base')
    const headers = { [CODE_HEADER]: code!, [STATE_HEADER]: state! }
    const [a, b] = await Promise.all([call('/api/me', { headers }), call('/api/me', { headers })])
    expect([a.status, b.status]).toEqual([200, 200])
    expect(mock.state().sessions).toHaveLength(1)
  })

  it('a code with another state answers 403 STATE_MISMATCH', async () => {
    const { code } = await authorize('snsapi_base')
    const { status, body } = await call('/api/me', {
      headers: { [CODE_HEADER]: code!, [STATE_HEADER]: 'Zq3xY9bK2mP7vR1tW5sN8dF4gH6jL0aC' },
    })
    expect([status, body?.code]).toEqual([403, 'STATE_MISMATCH'])
  })

  it('a code nobody handed out answers 401 CODE_INVALID', async () => {
    const { state } = await authorize('snsapi_base')
    const { status, body } = await call('/api/me', {
      headers: { [CODE_HEADER]: '061NotAcodeFromTheMockConsent0', [STATE_HEADER]: state! },
    })
    expect([status, body?.code]).toEqual([401, 'CODE_INVALID'])
  })

  it('logout ends the session: 204, then 401 AUTH_REQUIRED', async () => {
    await login('snsapi_base')
    expect((await call('/api/auth/logout', { method: 'POST' })).status).toBe(204)
    expect((await call('/api/me')).body?.code).toBe('AUTH_REQUIRED')
  })

  it('the consent page’s 拒绝 goes back with the state only', async () => {
    const { body } = await call('/api/auth/authorize-url?returnTo=%2F&scope=snsapi_userinfo')
    const location = mock.decide(String(body?.url), { action: 'deny' })
    expect(location).toBe(`${window.location.origin}/?state=${String(body?.state)}`)
  })
})

describe('scenarios', () => {
  it('returning: the silent login finds the stored profile', async () => {
    mock.useScenario('returning', 'emoji')
    const me = (await login('snsapi_base')).body as unknown as MeResponse
    expect(me.user?.nickname).toBe('🌸樱花酱🍡 Sakura ✨')
    expect(me.session.scope).toBe('snsapi_base')
  })

  it('snapshot: every login is a read-only guest', async () => {
    mock.useScenario('snapshot')
    const me = (await login('snsapi_userinfo')).body as unknown as MeResponse
    expect(me.user).toBeNull()
    expect(me.session.snapshot).toBe(true)
    expect((await call('/api/orders')).body?.code).toBe('SNAPSHOT_USER')
    expect((await call('/api/me/subscription')).body?.code).toBe('SNAPSHOT_USER')
  })

  it('cancelled: even the silent login comes back with the state only', async () => {
    mock.useScenario('cancelled')
    const { location, code, state } = await authorize('snsapi_base')
    expect(code).toBeUndefined()
    expect(state).toMatch(/^[A-Za-z0-9]{32}$/)
    expect(location).toBe(`${window.location.origin}/me?state=${state}`)
  })

  it('unavailable: the exchange answers 503 WECHAT_UNAVAILABLE and keeps the code usable', async () => {
    mock.useScenario('unavailable')
    const { code, state } = await authorize('snsapi_base')
    const headers = { [CODE_HEADER]: code!, [STATE_HEADER]: state! }
    expect((await call('/api/me', { headers })).body?.code).toBe('WECHAT_UNAVAILABLE')
    mock.update((data) => {
      data.scenario = 'new' // WeChat is back
    })
    expect((await call('/api/me', { headers })).status).toBe(200)
  })

  it('loop: every code answers 401 CODE_INVALID', async () => {
    mock.useScenario('loop')
    const first = await login('snsapi_base')
    const second = await login('snsapi_base')
    expect([first.body?.code, second.body?.code]).toEqual(['CODE_INVALID', 'CODE_INVALID'])
  })

  it('expired: signed in without a login, then 401 AUTH_REQUIRED once the session has ended', async () => {
    mock.useScenario('expired')
    const me = (await call('/api/me')).body as unknown as MeResponse
    expect(me.user?.nickname).toBe('陈小雨 Alice')
    expect(me.session.expiresAt).toBe(new Date(clock + EXPIRED_SESSION_LIFE_MS).toISOString())
    clock += EXPIRED_SESSION_LIFE_MS
    expect((await call('/api/me')).body?.code).toBe('AUTH_REQUIRED')
    // the automatic login that follows finds the stored profile again
    expect(((await login('snsapi_base')).body as unknown as MeResponse).user?.nickname).toBe(
      '陈小雨 Alice',
    )
  })
})

describe('answers are built against their schemas', () => {
  it('a body its schema refuses is never sent: 500 with the reason', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { status } = await call('/api/broken')
    expect(status).toBe(500)
    expect(String(logged.mock.calls[0]?.[0])).toContain('/n must be integer')
    logged.mockRestore()
    expect(() =>
      mock.json(Type.Object({ n: Type.Integer() }), { n: 'one' as unknown as number }),
    ).toThrow(MockContractError)
  })

  it('a field the schema does not list is dropped, as the real serializer does', async () => {
    const response = mock.json(Type.Object({ n: Type.Integer() }), {
      n: 1,
      token: 'x',
    } as unknown as { n: number })
    expect(await response.json()).toEqual({ n: 1 })
  })
})
