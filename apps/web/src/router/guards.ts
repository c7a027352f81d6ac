/**
 * The one navigation guard. It returns values and never calls `next()`
 * (https://router.vuejs.org/guide/advanced/navigation-guards.html).
 */
import { loadRouteLocation, type Router } from 'vue-router'
import { useWechatAuth } from '@wxauth/vue'

/**
 * Before every navigation: remember the target (a login comes back to it), then wait for the
 * session (`GET /api/me`, cached), the route's own data and the route's lazy view in parallel, so
 * landing with a code costs one round trip: every request of that wave carries the code and the BFF
 * exchanges it once, and the view's chunk is not fetched only after them (the router loads lazy
 * views after the guards).
 */
export function installAuthGuard(router: Router): void {
  router.beforeEach(async (to) => {
    const auth = useWechatAuth()
    auth.setReturnPath(to.fullPath)
    if (auth.waitsForTap.value) return true // a screen waits for a tap: load nothing behind it
    await Promise.all([
      auth.ensureLoaded(),
      to.meta.preload?.(),
      // a chunk that fails is the router's to report, when it resolves the view itself
      loadRouteLocation(to).catch(() => undefined),
    ])
    return true
  })
}
