/**
 * The URLs the mock adds to the page's origin, in one place: the browser code and the Vite plugin
 * (Node) both use them, so this module imports nothing.
 */

/** The mock WeChat authorize page (WeChat's own path, under a prefix no app uses). */
export const MOCK_AUTHORIZE_PATH = '/__mock-wechat/connect/oauth2/authorize'

/** MSW's service worker, at the root so its scope is the whole origin. */
export const MOCK_WORKER_URL = '/mockServiceWorker.js'
