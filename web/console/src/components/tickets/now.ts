/** One shared clock for SLA badges: ticks every 15 s while any badge is on screen. */
import { onUnmounted, ref } from 'vue'

const now = ref(Date.now())
let users = 0
let timer: ReturnType<typeof setInterval> | null = null

export function useNow() {
  users += 1
  if (timer === null) {
    now.value = Date.now()
    timer = setInterval(() => (now.value = Date.now()), 15_000)
  }
  onUnmounted(() => {
    users -= 1
    if (users === 0 && timer !== null) {
      clearInterval(timer)
      timer = null
    }
  })
  return now
}
