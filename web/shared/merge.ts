/**
 * The message list of one conversation: server messages ordered by `seq` and de-duplicated by `id`;
 * local messages not yet acknowledged (pending / failed) follow them, matched to the server's copy
 * by `client_msg_id`. Pure functions returning new arrays, so Vue and the widget can both use them.
 */
import type { Message, SenderType } from './types'

export type Delivery = 'pending' | 'sent' | 'failed'

export interface ChatItem extends Message {
  delivery: Delivery
}

const LOCAL_PREFIX = 'local:'

function sortKey(item: ChatItem): number {
  return item.delivery === 'sent' ? item.seq : Number.POSITIVE_INFINITY
}

/** Merges server messages into the list: replaces same-id and same-client_msg_id items, keeps order by seq. */
export function mergeMessages(current: readonly ChatItem[], incoming: readonly Message[]): ChatItem[] {
  if (incoming.length === 0) return current.slice()
  const ids = new Set(incoming.map((m) => m.id))
  const clientIds = new Set(incoming.map((m) => m.client_msg_id).filter((c): c is string => !!c))
  const kept = current.filter(
    (item) => !ids.has(item.id) && !(item.client_msg_id && clientIds.has(item.client_msg_id)),
  )
  const byId = new Map<string, ChatItem>()
  for (const m of incoming) byId.set(m.id, { ...m, delivery: 'sent' })
  return [...kept, ...byId.values()].sort((a, b) => sortKey(a) - sortKey(b))
}

export interface Draft {
  conversation_id: string
  client_msg_id: string
  body: string
  private: boolean
  sender_type: SenderType
  sender_id: string | null
  attachments?: Message['attachments']
}

/** Adds a local message shown as pending until the server's copy arrives. */
export function addPending(current: readonly ChatItem[], draft: Draft, now = new Date()): ChatItem[] {
  const item: ChatItem = {
    ...draft,
    id: LOCAL_PREFIX + draft.client_msg_id,
    seq: 0,
    attachments: draft.attachments ?? [],
    suggestions: [],
    created_at: now.toISOString(),
    delivery: 'pending',
  }
  return [...current.filter((m) => m.id !== item.id), item]
}

/** Sets the delivery state of a local (not yet acknowledged) message. */
export function setDelivery(current: readonly ChatItem[], clientMsgId: string, delivery: Delivery): ChatItem[] {
  return current.map((m) =>
    m.delivery !== 'sent' && m.client_msg_id === clientMsgId ? { ...m, delivery } : m,
  )
}

/** Highest acknowledged seq: the `after_seq` to fetch from when catching up. */
export function maxSeq(items: readonly ChatItem[]): number {
  let max = 0
  for (const m of items) if (m.delivery === 'sent' && m.seq > max) max = m.seq
  return max
}

export function isLocal(item: ChatItem): boolean {
  return item.id.startsWith(LOCAL_PREFIX)
}
