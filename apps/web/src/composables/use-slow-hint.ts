/**
 * `true` once a wait has lasted {@link SLOW_MS}: then the skeleton or the login toast says WeChat is
 * slow instead of leaving the user with a placeholder and no word (a code exchange can take the
 * BFF's whole WeChat timeout, several seconds). Starts when the component mounts.
 */
import { onMounted, onUnmounted, ref, type Ref } from 'vue'

/** After this long a wait gets a word: long enough not to flash on a normal login. */
export const SLOW_MS = 2000

export function useSlowHint(ms: number = SLOW_MS): Readonly<Ref<boolean>> {
  const slow = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  onMounted(() => {
    timer = setTimeout(() => {
      slow.value = true
    }, ms)
  })
  onUnmounted(() => clearTimeout(timer))
  return slow
}
