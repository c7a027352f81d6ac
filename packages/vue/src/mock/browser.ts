/**
 * `@wxauth/vue/mock/browser`: the mock BFF in the browser, for `pnpm dev:mock`. The Vite plugin
 * (`@wxauth/vue/mock/vite`) runs {@link startWechatAuthMock} before the app's own entry, so the
 * app boots unchanged against a service worker (MSW) that answers its API; and it draws the mock
 * consent page with {@link mountConsentPage}. Development only: nothing of it is in a production
 * build, and no app code imports it.
 */
import { createApp } from 'vue'
import { setupWorker } from 'msw/browser'
import { TRIPS_KEY } from '../loop-guard.js'
import { mountConsentPage as drawConsentPage, type ConsentPageOptions } from './consent-page.js'
import {
  createWechatAuthMock,
  type WechatAuthMock,
  type WechatAuthMockOptions,
} from './create-mock.js'
import MockPanel from './MockPanel.vue'
import { MOCK_WORKER_URL } from './paths.js'
import { PANEL_CSS } from './panel-css.js'
import { SCENARIO_NAMES, isScenarioName } from './scenarios.js'

export { MOCK_WORKER_URL }

/** The page URL's parameter that picks a scenario. */
export const SCENARIO_PARAM = 'mock'

/** What the browser mock is started with: the app's mock options, and the panel. */
export interface BrowserMockOptions extends Omit<WechatAuthMockOptions, 'storage' | 'now'> {
  /** Show the scenario panel (default true). */
  panel?: boolean
  /** Hide MSW's log of every answered request in the console (default false). */
  quiet?: boolean
}

/** The tab's storage: the mock's state must survive the trip to the consent page and back. */
function tabStorage(): Storage {
  return window.sessionStorage
}

/** The mock over the tab's `sessionStorage`. */
function browserMock(options: BrowserMockOptions): WechatAuthMock {
  const { panel: _panel, quiet: _quiet, ...mockOptions } = options
  return createWechatAuthMock({ ...mockOptions, storage: tabStorage() })
}

/**
 * Start `scenario` afresh, and forget the loop guard's trips: they belong to the scenario left
 * behind (the `loop` one fills them), and would stop the next one's first login.
 */
function restart(change: () => void): void {
  change()
  try {
    tabStorage().removeItem(TRIPS_KEY)
  } catch {
    // no storage: nothing was recorded either
  }
}

/**
 * `?mock=<name>` on the page URL: start that scenario afresh (it is remembered for the tab) and
 * take the parameter out of the address bar before the app reads it.
 */
export function applyScenarioParam(mock: WechatAuthMock): void {
  const url = new URL(window.location.href)
  const name = url.searchParams.get(SCENARIO_PARAM)
  if (name === null) return
  if (isScenarioName(name)) restart(() => mock.useScenario(name))
  else {
    console.warn(
      `[@wxauth/vue/mock] ?${SCENARIO_PARAM}=${name} is no scenario; one of: ${SCENARIO_NAMES.join(', ')}`,
    )
  }
  url.searchParams.delete(SCENARIO_PARAM)
  window.history.replaceState(window.history.state, '', url.href)
}

/** Mount the scenario panel in a node and a Vue app of its own. */
export function mountMockPanel(mock: WechatAuthMock): () => void {
  const host = document.createElement('div')
  host.id = 'wxauth-mock-panel'
  const style = document.createElement('style')
  style.textContent = PANEL_CSS
  document.head.appendChild(style)
  document.body.appendChild(host)
  const reload = () => window.location.reload()
  const { scenario, persona } = mock.state()
  const app = createApp(MockPanel, {
    scenario,
    persona,
    onScenario: (name: typeof scenario) => {
      restart(() => mock.useScenario(name))
      reload()
    },
    onPersona: (id: typeof persona) => {
      restart(() => mock.useScenario(mock.state().scenario, id))
      reload()
    },
    onReset: () => {
      restart(() => mock.reset())
      reload()
    },
    onEndSession: () => mock.endSession(),
  })
  app.mount(host)
  return () => {
    app.unmount()
    host.remove()
    style.remove()
  }
}

/**
 * Start the mock BFF in the page: read `?mock=`, start MSW's service worker with the mock's
 * handlers, show the panel. Resolves once requests are answered by the mock, before the app boots.
 */
export async function startWechatAuthMock(
  options: BrowserMockOptions = {},
): Promise<WechatAuthMock> {
  const mock = browserMock(options)
  applyScenarioParam(mock)
  const worker = setupWorker(...mock.handlers)
  const base = new URL(mock.path('/'), window.location.href)
  await worker.start({
    serviceWorker: { url: MOCK_WORKER_URL },
    quiet: options.quiet === true,
    // Only the API is the mock's business: assets and other origins pass through silently.
    onUnhandledRequest(request, print) {
      const url = new URL(request.url)
      if (url.origin === base.origin && url.pathname.startsWith(base.pathname)) print.warning()
    },
  })
  if (options.panel !== false) mountMockPanel(mock)
  const { scenario, persona } = mock.state()
  console.info(`[@wxauth/vue/mock] mock BFF running: scenario ${scenario}, persona ${persona}`)
  return mock
}

/** Draw the mock consent page of the current URL (the Vite plugin serves the page that calls it). */
export function mountConsentPage(
  options: BrowserMockOptions = {},
  page: ConsentPageOptions = {},
): void {
  drawConsentPage(browserMock({ ...options, handlers: () => [] }), page)
}
