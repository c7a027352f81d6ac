/**
 * The demo's mock BFF in unit tests: the very handlers `pnpm dev:mock` runs (mock/index.ts on
 * `@wxauth/vue/mock`), under `msw/node` for one test file, instead of hand-written fetch stubs.
 * The happy-dom page is the tab: its origin is the mock's, the mock's state is per test.
 */
import { afterAll, afterEach, beforeAll } from 'vitest'
import { setupServer } from 'msw/node'
import type { Scope } from '@wxauth/shared'
import { createWechatAuthMock, type MockPersonaId, type ScenarioName } from '@wxauth/vue/mock'
import webMock from '../../mock/index.js'

/** Start the mock BFF for this file; every test starts in scenario `new` as alice. */
export function useMockBff() {
  const mock = createWechatAuthMock(webMock)
  const server = setupServer(...mock.handlers)
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    server.resetHandlers()
    mock.useScenario('new', 'alice')
  })
  afterAll(() => server.close())

  return {
    mock,
    server,
    /**
     * Put the page where WeChat sends the user back after a login in `scenario`: the state of
     * `GET /api/auth/authorize-url`, through the mock authorize page (silent, or 允许 as `persona`),
     * to `returnTo?code=…&state=…` in the address bar, ready for `createWechatAuth()` to read.
     */
    async land(
      scenario: ScenarioName,
      {
        scope = 'snsapi_base',
        persona = 'alice',
        returnTo = '/',
      }: {
        scope?: Scope
        persona?: MockPersonaId
        returnTo?: string
      } = {},
    ): Promise<string> {
      mock.useScenario(scenario, persona)
      const query = new URLSearchParams({ returnTo, scope })
      const response = await fetch(`/api/auth/authorize-url?${query}`)
      const { url } = (await response.json()) as { url: string }
      const step = mock.consentStep(url)
      if (step.kind === 'error') throw new Error(step.message)
      const location =
        step.kind === 'redirect' ? step.location : mock.decide(url, { action: 'allow', persona })
      window.history.replaceState(null, '', location)
      return location
    },
  }
}
