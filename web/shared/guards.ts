/** Hand-written runtime guards for API shapes (no schema library: the widget must stay small). */
import type {
  Attachment,
  Conversation,
  ConversationStatus,
  ConversationStatusRef,
  Message,
  SenderType,
  Suggestion,
} from './types'

export type Obj = Record<string, unknown>

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const isStr = (v: unknown): v is string => typeof v === 'string'
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isStrOrNull = (v: unknown): v is string | null => v === null || isStr(v)
const isArrayOf = <T>(v: unknown, item: (x: unknown) => x is T): v is T[] =>
  Array.isArray(v) && v.every(item)

const SENDER_TYPES: readonly SenderType[] = ['contact', 'bot', 'agent', 'system']
const STATUSES: readonly ConversationStatus[] = ['bot', 'queued', 'assigned', 'resolved', 'closed', 'abandoned']

export function isAttachment(v: unknown): v is Attachment {
  return isObj(v) && isStr(v.id) && isStr(v.filename) && isStr(v.content_type) && isNum(v.size) && isStr(v.url)
}

export function isSuggestion(v: unknown): v is Suggestion {
  return isObj(v) && isStr(v.faq_id) && isStr(v.question)
}

/** Accepts a message; missing `attachments` / `suggestions` are normalised to []. */
export function isMessage(v: unknown): v is Message {
  if (!isObj(v)) return false
  v.attachments ??= []
  v.suggestions ??= []
  return (
    isStr(v.id) &&
    isStr(v.conversation_id) &&
    isNum(v.seq) &&
    SENDER_TYPES.includes(v.sender_type as SenderType) &&
    isStrOrNull(v.sender_id) &&
    isStr(v.body) &&
    typeof v.private === 'boolean' &&
    isStrOrNull(v.client_msg_id ?? null) &&
    isArrayOf(v.attachments, isAttachment) &&
    isArrayOf(v.suggestions, isSuggestion) &&
    isStr(v.created_at)
  )
}

export function isConversation(v: unknown): v is Conversation {
  if (!isObj(v)) return false
  const contact = v.contact
  return (
    isStr(v.id) &&
    isObj(contact) &&
    isStr(contact.id) &&
    isStr(contact.name) &&
    isStr(v.channel) &&
    STATUSES.includes(v.status as ConversationStatus) &&
    isStrOrNull(v.assignee_id) &&
    isStrOrNull(v.team_id ?? null) &&
    isArrayOf(v.tags ?? [], isStr) &&
    isStr(v.updated_at) &&
    isStrOrNull(v.last_message_at ?? null) &&
    isStrOrNull(v.last_message_preview ?? null)
  )
}

export function isStatusRef(v: unknown): v is ConversationStatusRef {
  return isObj(v) && isStr(v.id) && STATUSES.includes(v.status as ConversationStatus)
}
