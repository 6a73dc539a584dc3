/** The conversation list (inbox) for the chosen view, kept live by realtime events. */
import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import { api } from '../api'
import type { Conversation, Message } from '../../../shared/types'
import { byActivity, later, membership, type InboxFilter } from './inbox-filter'
import { useSessionStore } from './session'

export const useInboxStore = defineStore('inbox', () => {
  const filter = reactive<InboxFilter>({ view: 'mine', status: null, q: '' })
  const byId = ref(new Map<string, Conversation>())
  const nextCursor = ref<string | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  let generation = 0

  const items = computed(() => [...byId.value.values()].sort(byActivity))

  async function load(more = false): Promise<void> {
    const mine = ++generation
    loading.value = true
    error.value = null
    try {
      const page = await api.conversations({ ...filter, cursor: more ? nextCursor.value : null })
      if (mine !== generation) return // a newer filter won
      const next = more ? new Map(byId.value) : new Map<string, Conversation>()
      for (const c of page.items) next.set(c.id, c)
      byId.value = next
      nextCursor.value = page.next_cursor ?? null
    } catch (err) {
      if (mine === generation) error.value = err instanceof Error ? err.message : String(err)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  /** Applies a conversation from an event or an action to the list. */
  function upsert(conv: Conversation): void {
    const session = useSessionStore()
    const m = membership(conv, filter, session.me?.id ?? null)
    const known = byId.value.has(conv.id)
    if (m === 'not-member' && known) byId.value.delete(conv.id)
    else if (m === 'member' || (m === 'unknown' && known)) byId.value.set(conv.id, conv)
  }

  /** Updates the preview of a listed conversation when a message arrives. */
  function noteMessage(message: Message): void {
    const conv = byId.value.get(message.conversation_id)
    if (!conv || message.private) return
    byId.value.set(conv.id, {
      ...conv,
      last_message_at: message.created_at,
      updated_at: later(message.created_at, conv.updated_at),
      last_message_preview: message.body.slice(0, 140),
    })
  }

  return { filter, items, nextCursor, loading, error, load, upsert, noteMessage }
})
