/** Routes: `/` the activity, `/me` the profile; views are lazily loaded chunks. */
import {
  createRouter,
  createWebHashHistory,
  createWebHistory,
  type Router,
  type RouteRecordRaw,
} from 'vue-router'
import { BASE_URL, ROUTER_MODE } from '../config.js'
import { useActivityStore } from '../stores/activity.js'
import { installAuthGuard } from './guards.js'

declare module 'vue-router' {
  interface RouteMeta {
    /** Data the page needs, fetched by the guard together with the session. Never throws. */
    preload?: () => Promise<void>
    /** `document.title`: what WeChat shows in its title bar (and the share card's fallback). */
    title: string
  }
}

export const routes: RouteRecordRaw[] = [
  {
    path: '/',
    name: 'activity',
    // route-level code splitting: a chunk loaded when the route is visited
    component: () => import('../views/ActivityView.vue'),
    meta: { title: '活动详情', preload: () => useActivityStore().load() },
  },
  {
    path: '/me',
    name: 'profile',
    component: () => import('../views/ProfileView.vue'),
    // its 我的报名 row: the activity once per page load, not on every visit of the tab
    meta: {
      title: '我的',
      preload: () => {
        const activity = useActivityStore()
        return activity.activity === null ? activity.load() : Promise.resolve()
      },
    },
  },
  { path: '/:pathMatch(.*)*', redirect: { name: 'activity' } },
]

/**
 * The app's router: history mode unless built with `VITE_ROUTER_MODE=hash` (a build-time constant,
 * so the build keeps only the history it uses).
 */
export function createAppRouter(): Router {
  const history =
    ROUTER_MODE === 'hash' ? createWebHashHistory(BASE_URL) : createWebHistory(BASE_URL)
  const router = createRouter({ history, routes })
  installAuthGuard(router)
  router.afterEach((to) => {
    document.title = to.meta.title
  })
  return router
}
