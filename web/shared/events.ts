/**
 * Realtime events: validation of incoming WebSocket frames and one typed event → handler table
 * (STYLE habit 4). A frame that fails validation is dropped (and reported), never half-applied.
 */
import { isConversation, isMessage, isObj, type Obj } from './guards'
import type { Conversation, Message, SenderType } from './types'

export interface EventDataMap {
  'message.created': { message: Message }
  'conversation.created': { conversation: Conversation }
  'conversation.updated': { conversation: Conversation }
  'conversation.assigned': { conversation: Conversation }
  typing: { conversation_id: string; sender_type: SenderType; typing: boolean }
  resync_required: Record<string, never>
  ping: Record<string, never>
}

export type EventType = keyof EventDataMap

export type ServerEvent = {
  [K in EventType]: { id: number | null; type: K; data: EventDataMap[K] }
}[EventType]

type Validator = (data: Obj) => boolean

const hasConversation: Validator = (d) => isConversation(d.conversation)

const VALIDATORS: Record<EventType, Validator> = {
  'message.created': (d) => isMessage(d.message),
  'conversation.created': hasConversation,
  'conversation.updated': hasConversation,
  'conversation.assigned': hasConversation,
  typing: (d) => typeof d.conversation_id === 'string' && typeof d.typing === 'boolean' && typeof d.sender_type === 'string',
  resync_required: () => true,
  ping: () => true,
}

export function isEventType(t: unknown): t is EventType {
  return typeof t === 'string' && Object.prototype.hasOwnProperty.call(VALIDATORS, t)
}

/** Parses one frame (string or already-decoded JSON). Returns null when it is not a valid event. */
export function parseEvent(raw: unknown): ServerEvent | null {
  let frame: unknown = raw
  if (typeof raw === 'string') {
    try {
      frame = JSON.parse(raw)
    } catch {
      return null
    }
  }
  if (!isObj(frame) || !isEventType(frame.type)) return null
  const id = frame.id ?? null
  if (id !== null && !(typeof id === 'number' && Number.isInteger(id))) return null
  const data = frame.data ?? {}
  if (!isObj(data) || !VALIDATORS[frame.type](data)) return null
  return { id, type: frame.type, data } as ServerEvent
}

/** Every event type the application handles; `ping` is answered by the socket itself. */
export type HandledEventType = Exclude<EventType, 'ping'>

export type EventHandlers = {
  [K in HandledEventType]: (data: EventDataMap[K], event: { id: number | null; type: K }) => void
}

/** Dispatches a validated event through the handler table. Returns false for unhandled types. */
export function dispatchEvent(handlers: EventHandlers, event: ServerEvent): boolean {
  if (event.type === 'ping') return false
  const handler = handlers[event.type] as (data: unknown, e: { id: number | null; type: string }) => void
  handler(event.data, { id: event.id, type: event.type })
  return true
}
