/** main.ts of the minimal app: the 15 lines of the README's quick start. */
import { createApp, type App } from 'vue'
import { createPinia } from 'pinia'
import { createRouter, createWebHistory } from 'vue-router'
import { createWechatAuth, useWechatAuth } from '../../src/index.js'
import MinimalApp from './MinimalApp.vue'
import OrdersView from './OrdersView.vue'

/** Start the app in `root`, on the current page. */
export function boot(root: HTMLElement): App {
  const auth = createWechatAuth({ baseURL: '/api', scope: 'snsapi_base' }) // before createRouter
  const router = createRouter({
    history: createWebHistory(),
    routes: [{ path: '/orders', component: OrdersView }],
  })
  router.beforeEach(async (to) => {
    const { setReturnPath, ensureLoaded } = useWechatAuth()
    setReturnPath(to.fullPath) // a login comes back here
    await ensureLoaded()
  })
  const app = createApp(MinimalApp).use(createPinia()).use(auth).use(router)
  app.mount(root)
  return app
}
