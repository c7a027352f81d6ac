/**
 * The one navigation guard. It returns values and never calls `next()`
 * (https://router.vuejs.org/guide/advanced/navigation-guards.html).
 */
import type { Router } from 'vue-router'
import { useWechatAuth } from '@wxauth/vue'

/**
 * Before every navigation: remember the target (a login comes back to it), then wait for the
 * session (`GET /api/me`, cached) and the route's own data in parallel, so landing with a code costs
 * one round trip: every request of that wave carries the code and the BFF exchanges it once.
 */
export function installAuthGuard(router: Router): void {
  router.beforeEach(async (to) => {
    const auth = useWechatAuth()
    auth.setReturnPath(to.fullPath)
    if (auth.waitsForTap.value) return true // a screen waits for a tap: load nothing behind it
    await Promise.all([auth.ensureLoaded(), to.meta.preload?.()])
    return true
  })
}
