/**
 * A WeUI toast's state for one view: `show('报名成功')` puts the text up for a moment. The timer ends
 * with the component (a toast never outlives its page).
 */
import { onScopeDispose, ref, type Ref } from 'vue'

/** How long a toast stays up: WeUI's own examples use 2 s. */
export const TOAST_MS = 2000

export interface Toast {
  /** The text shown, or `null`. */
  text: Readonly<Ref<string | null>>
  show(text: string): void
}

export function useToast(ms: number = TOAST_MS): Toast {
  const text = ref<string | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined
  onScopeDispose(() => clearTimeout(timer))
  return {
    text,
    show(next) {
      clearTimeout(timer)
      text.value = next
      timer = setTimeout(() => {
        text.value = null
      }, ms)
    },
  }
}
