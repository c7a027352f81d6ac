/**
 * Does the signed-in user follow the Official Account (`GET /api/me/subscription`)? Drives the
 * "关注公众号" card. Optional: a failure leaves `subscription` null and the card hidden.
 */
import { ref } from 'vue'
import { defineStore } from 'pinia'
import type { SubscriptionResponse } from '@wxauth/shared'
import { useWechatAuth } from '@wxauth/vue'
import { fetchSubscription } from '../api/wechat.js'

export const useSubscriptionStore = defineStore('subscription', () => {
  const { quietApi } = useWechatAuth()
  /** null until known (not asked yet, loading, or the last load failed). */
  const subscription = ref<SubscriptionResponse | null>(null)
  const loading = ref(false)

  let inflight: Promise<void> | null = null

  /** Ask the BFF once; concurrent calls share one request. Never throws. */
  function load(): Promise<void> {
    inflight ??= (async () => {
      loading.value = true
      try {
        subscription.value = await fetchSubscription(quietApi)
      } catch (error) {
        console.warn('[wxauth] follower status unavailable:', describe(error))
      } finally {
        loading.value = false
        inflight = null
      }
    })()
    return inflight
  }

  return { subscription, loading, load }
})

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
