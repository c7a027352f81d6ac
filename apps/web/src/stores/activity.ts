/**
 * The demo business: one H5 activity, joined or not, and its recent participants. Its requests go
 * through the login's `api` (`useWechatAuth()`, which a pinia setup store may call: pinia runs it
 * in the app's injection context), so the first of them after the landing logs the user in.
 */
import { ref } from 'vue'
import { defineStore } from 'pinia'
import type { ActivityResponse } from '@wxauth/shared'
import { useWechatAuth } from '@wxauth/vue'
import { fetchActivity, joinActivity } from '../api/activity.js'

export const useActivityStore = defineStore('activity', () => {
  const { api, user } = useWechatAuth()
  const activity = ref<ActivityResponse | null>(null)
  const loading = ref(false)
  /** The last load failed with something the page shows in place (not a login or a screen). */
  const failed = ref(false)
  const joining = ref(false)

  let inflight: Promise<void> | null = null

  /** `GET /api/activity`; concurrent calls share one request. Never throws. */
  function load(): Promise<void> {
    inflight ??= (async () => {
      loading.value = true
      try {
        activity.value = await fetchActivity(api)
        failed.value = false
      } catch {
        failed.value = true // auth failures were mapped by the client; the page shows a retry
      } finally {
        loading.value = false
        inflight = null
      }
    })()
    return inflight
  }

  /**
   * `POST /api/activity/join`. A base session gets 403 SCOPE_UPGRADE_REQUIRED and a snapshot guest
   * 403 SNAPSHOT_USER: the client turns those into the upgrade screen and the read-only banner.
   */
  async function join(): Promise<void> {
    const current = activity.value
    if (current === null || current.joined || joining.value) return
    joining.value = true
    try {
      const result = await joinActivity(api)
      const me = user.value
      const alreadyListed =
        me !== null && current.participants.some((p) => p.nickname === me.nickname)
      activity.value = {
        ...current,
        joined: true,
        participantCount: result.participantCount,
        participants:
          me === null || alreadyListed
            ? current.participants
            : [{ nickname: me.nickname, headimgurl: me.headimgurl }, ...current.participants],
      }
    } catch {
      // mapped by the client (upgrade screen, snapshot banner, login or unavailable)
    } finally {
      joining.value = false
    }
  }

  return { activity, loading, failed, joining, load, join }
})
