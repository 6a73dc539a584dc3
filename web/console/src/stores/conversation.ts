/** The open conversation: its record, its messages (merged by seq / id) and the typing indicator. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '../api'
import { addPending, maxSeq, mergeMessages, setDelivery, type ChatItem } from '../../../shared/merge'
import { newClientMsgId } from '../../../shared/text'
import type { Attachment, Conversation, Message } from '../../../shared/types'
import { useInboxStore } from './inbox'
import { useSessionStore } from './session'

const PAGE = 100
const TYPING_SHOW_MS = 6000

export type ConversationAction = 'assignToMe' | 'resolve' | 'reopen'

export const useConversationStore = defineStore('conversation', () => {
  const current = ref<Conversation | null>(null)
  const items = ref<ChatItem[]>([])
  const contactTyping = ref(false)
  const loading = ref(false)
  const error = ref<unknown>(null)
  let typingTimer: ReturnType<typeof setTimeout> | null = null

  async function open(id: string): Promise<void> {
    current.value = null
    items.value = []
    error.value = null
    contactTyping.value = false
    loading.value = true
    try {
      const conv = await api.conversation(id)
      current.value = conv
      await catchUp()
    } catch (err) {
      if (current.value === null || current.value.id === id) error.value = err
    } finally {
      loading.value = false
    }
  }

  /** Fetches every message after the highest seq held (first load, reconnect, resync). */
  async function catchUp(): Promise<void> {
    const conv = current.value
    if (!conv) return
    for (;;) {
      const page = await api.messages(conv.id, maxSeq(items.value), PAGE)
      if (current.value?.id !== conv.id) return
      items.value = mergeMessages(items.value, page.items)
      if (page.items.length < PAGE) return
    }
  }

  function receive(message: Message): void {
    if (message.conversation_id !== current.value?.id) return
    items.value = mergeMessages(items.value, [message])
    if (message.sender_type === 'contact') setContactTyping(false)
  }

  function update(conv: Conversation): void {
    if (conv.id === current.value?.id) current.value = conv
  }

  function setContactTyping(typing: boolean): void {
    if (typingTimer) clearTimeout(typingTimer)
    contactTyping.value = typing
    if (typing) typingTimer = setTimeout(() => (contactTyping.value = false), TYPING_SHOW_MS)
  }

  async function send(
    body: string,
    isPrivate: boolean,
    clientMsgId = newClientMsgId(),
    attachments: Attachment[] = [],
  ): Promise<void> {
    const conv = current.value
    const text = body.trim()
    if (!conv || (!text && attachments.length === 0)) return
    items.value = addPending(items.value, {
      conversation_id: conv.id,
      client_msg_id: clientMsgId,
      body: text,
      private: isPrivate,
      sender_type: 'agent',
      sender_id: useSessionStore().me?.id ?? null,
      attachments,
    })
    try {
      const message = await api.sendMessage(conv.id, {
        client_msg_id: clientMsgId,
        body: text,
        private: isPrivate,
        attachment_ids: attachments.map((a) => a.id),
      })
      receive(message)
      useInboxStore().noteMessage(message)
    } catch {
      items.value = setDelivery(items.value, clientMsgId, 'failed')
    }
  }

  function retry(item: ChatItem): Promise<void> {
    return send(item.body, item.private, item.client_msg_id ?? undefined, item.attachments)
  }

  async function act(action: ConversationAction): Promise<void> {
    const conv = current.value
    const meId = useSessionStore().me?.id
    if (!conv || !meId) return
    const calls: Record<ConversationAction, () => Promise<Conversation>> = {
      assignToMe: () => api.assign(conv.id, meId),
      resolve: () => api.resolve(conv.id),
      reopen: () => api.reopen(conv.id),
    }
    const updated = await calls[action]()
    update(updated)
    useInboxStore().upsert(updated)
  }

  async function setTags(tags: string[]): Promise<void> {
    const conv = current.value
    if (!conv) return
    const updated = await api.setTags(conv.id, tags)
    update(updated)
    useInboxStore().upsert(updated)
  }

  return { current, items, contactTyping, loading, error, open, catchUp, receive, update, setContactTyping, send, retry, act, setTags }
})
