import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '../api'
import { client } from '../api/client'
import type { Me } from '../../../shared/types'

export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null)
  const signedIn = ref(client.signedIn)

  client.onSessionExpired = () => {
    me.value = null
    signedIn.value = false
  }

  async function login(email: string, password: string): Promise<void> {
    client.setTokens(await api.login(email, password))
    signedIn.value = true
    await loadMe()
  }

  async function loadMe(): Promise<Me> {
    me.value = await api.me()
    return me.value
  }

  async function logout(): Promise<void> {
    try {
      await api.logout()
    } catch {
      // the token may already be invalid; signing out locally is what matters
    }
    client.setTokens(null)
    me.value = null
    signedIn.value = false
  }

  return { me, signedIn, login, loadMe, logout }
})
