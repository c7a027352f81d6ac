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
  const { api, user, readOnly, status, requestProfile } = useWechatAuth()
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
   * `POST /api/activity/join`; resolves `true` when this call joined. Joining needs the profile: a
   * session without one gets the upgrade screen for the intent `join` (no request: the BFF would
   * answer 403 SCOPE_UPGRADE_REQUIRED), and the login it leads to completes the join on return.
   * A snapshot guest gets 403 SNAPSHOT_USER, which the client turns into the read-only banner.
   */
  async function join(): Promise<boolean> {
    const current = activity.value
    if (current === null || current.joined || joining.value || readOnly.value) return false
    if (user.value === null) {
      requestProfile('join')
      return false
    }
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
      return true
    } catch {
      // mapped by the client (snapshot banner, login or unavailable); the profile the BFF wanted
      // after all (our copy of the user was stale): ask for it for this join
      if (status.value.kind === 'upgrade') requestProfile('join')
      return false
    } finally {
      joining.value = false
    }
  }

  return { activity, loading, failed, joining, load, join }
})
