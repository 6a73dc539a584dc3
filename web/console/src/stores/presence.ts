/** Agents' presence: mine (the switcher) and everyone's (the monitor), kept live by `presence.updated`. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '../api'
import type { Presence, PresenceStatus } from '../../../shared/types'

export const usePresenceStore = defineStore('presence', () => {
  const byUser = ref<Record<string, PresenceStatus>>({})
  const available = ref(true)

  async function load(): Promise<Presence[]> {
    try {
      const rows = await api.presence()
      for (const row of rows) byUser.value[row.user_id] = row.status
      return rows
    } catch {
      available.value = false // a server without routing
      return []
    }
  }

  async function set(userId: string, status: PresenceStatus): Promise<void> {
    const row = await api.setPresence(status)
    byUser.value[userId] = row.status
  }

  function applyEvent(userId: string, status: PresenceStatus): void {
    byUser.value[userId] = status
  }

  return { byUser, available, load, set, applyEvent }
})
