/** Live alerts firing now (managers): loaded from `/analytics/live`, kept live by `alert.*` events. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AlertRule } from '../../../shared/alerts'
import { applyAlertEvent } from '../alerts'
import { reportsApi } from '../api/reports'
import { onAlertEvent } from '../realtime/alert-bus'

export const useAlertStore = defineStore('alerts', () => {
  const firing = ref<AlertRule[]>([])
  /** `${rule id}@${firing_since}` of banners closed in this tab (a new raise shows again) */
  const dismissed = ref<string[]>([])
  let unsubscribe: (() => void) | null = null

  async function load(): Promise<void> {
    try {
      firing.value = (await reportsApi.live()).alerts
    } catch {
      // keep what we have; the next event or load corrects it
    }
  }

  function start(): void {
    unsubscribe ??= onAlertEvent(({ type, data }) => {
      firing.value = applyAlertEvent(firing.value, type, data)
    })
    void load()
  }

  function stop(): void {
    unsubscribe?.()
    unsubscribe = null
  }

  const keyOf = (rule: AlertRule): string => `${rule.id}@${rule.firing_since ?? ''}`
  function dismiss(rule: AlertRule): void {
    dismissed.value = [...dismissed.value, keyOf(rule)]
  }
  const isDismissed = (rule: AlertRule): boolean => dismissed.value.includes(keyOf(rule))

  return { firing, load, start, stop, dismiss, isDismissed }
})
