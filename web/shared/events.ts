/**
 * Realtime events: validation of incoming WebSocket frames and one typed event → handler table
 * (STYLE habit 4). A frame that fails validation is dropped (and reported), never half-applied.
 *
 * Agents and contacts receive the same event types with different payloads: a contact's
 * `conversation.*` events carry only `{id, status}` of its conversation. Each side has its own
 * data map and validator table; parsing and dispatch are shared.
 */
import { ALERT_EVENT_VALIDATORS, type AlertEventDataMap } from './alerts'
import { isConversation, isMessage, isObj, isStatusRef, type Obj } from './guards'
import { TICKET_EVENT_VALIDATORS, type TicketEventDataMap } from './tickets'
import type { Conversation, ConversationStatusRef, Message, PresenceStatus, SenderType } from './types'

interface CommonEvents {
  'message.created': { message: Message }
  typing: { conversation_id: string; sender_type: SenderType; typing: boolean }
  resync_required: Record<string, never>
  ping: Record<string, never>
}

type ConversationEvents<C> = {
  'conversation.created': { conversation: C }
  'conversation.updated': { conversation: C }
  'conversation.assigned': { conversation: C; previous_assignee_id?: string | null }
}

/** A knowledge-base version went live (publish or rollback). */
export interface KbPublishedData {
  version_id: string
  number: number
  rolled_back: boolean
}

/** The contact's place in the queue, sent while it waits for a person (routing). */
export interface QueuePositionData {
  conversation_id: string
  position: number
  estimated_wait_seconds: number | null
}

/** An agent's presence changed (ephemeral: no id). */
export interface PresenceUpdatedData {
  user_id: string
  status: PresenceStatus
  auto: boolean
}

/** What an agent's socket receives (`/api/v1/ws`). */
export type EventDataMap = CommonEvents &
  ConversationEvents<Conversation> & { 'kb.published': KbPublishedData; 'presence.updated': PresenceUpdatedData } &
  TicketEventDataMap &
  AlertEventDataMap
/** What a contact's socket receives (`/api/v1/widget/ws`). */
export type ContactEventDataMap = CommonEvents &
  ConversationEvents<ConversationStatusRef> & { 'queue.position': QueuePositionData }

export type EventType = keyof EventDataMap

/** A validated frame of the given data map, discriminated by `type`. */
export type EventOf<M> = { [K in keyof M]: { id: number | null; type: K; data: M[K] } }[keyof M]
export type ServerEvent = EventOf<EventDataMap>
export type ContactEvent = EventOf<ContactEventDataMap>

/** One handler per event type; `ping` is answered by the socket itself. */
export type HandlersOf<M> = {
  [K in Exclude<keyof M, 'ping'>]: (data: M[K], event: { id: number | null; type: K }) => void
}
export type EventHandlers = HandlersOf<EventDataMap>
export type ContactEventHandlers = HandlersOf<ContactEventDataMap>

type Validators<M> = Record<keyof M, (data: Obj) => boolean>

const common: Validators<CommonEvents> = {
  'message.created': (d) => isMessage(d.message),
  typing: (d) =>
    typeof d.conversation_id === 'string' && typeof d.typing === 'boolean' && typeof d.sender_type === 'string',
  resync_required: () => true,
  ping: () => true,
}

const conversationEvents = (check: (v: unknown) => boolean): Validators<ConversationEvents<unknown>> => {
  const has = (d: Obj): boolean => check(d.conversation)
  return { 'conversation.created': has, 'conversation.updated': has, 'conversation.assigned': has }
}

const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0

export const AGENT_EVENTS: Validators<EventDataMap> = {
  ...common,
  ...conversationEvents(isConversation),
  'kb.published': (d) => typeof d.version_id === 'string' && typeof d.number === 'number',
  'presence.updated': (d) =>
    typeof d.user_id === 'string' && ['online', 'busy', 'away', 'offline'].includes(d.status as string),
  ...TICKET_EVENT_VALIDATORS,
  ...ALERT_EVENT_VALIDATORS,
}
export const CONTACT_EVENTS: Validators<ContactEventDataMap> = {
  ...common,
  ...conversationEvents(isStatusRef),
  'queue.position': (d) =>
    typeof d.conversation_id === 'string' &&
    isCount(d.position) &&
    (d.estimated_wait_seconds === null || d.estimated_wait_seconds === undefined || isCount(d.estimated_wait_seconds)),
}

/** Decodes a frame (string or decoded JSON) into an object, or null. */
export function decodeFrame(raw: unknown): Obj | null {
  if (typeof raw !== 'string') return isObj(raw) ? raw : null
  try {
    const value: unknown = JSON.parse(raw)
    return isObj(value) ? value : null
  } catch {
    return null
  }
}

/** The frame's durable id, when it has a valid one (even if its type or data is not understood). */
export function frameId(frame: Obj): number | null {
  const id = frame.id
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null
}

/** Validates a frame against a validator table. Returns null when it is not a valid event. */
export function parseWith<M>(validators: Validators<M>, raw: unknown): EventOf<M> | null {
  const frame = decodeFrame(raw)
  if (!frame || typeof frame.type !== 'string' || !Object.prototype.hasOwnProperty.call(validators, frame.type)) {
    return null
  }
  const id = frame.id ?? null
  if (id !== null && frameId(frame) === null) return null
  const data = frame.data ?? {}
  const type = frame.type as keyof M
  if (!isObj(data) || !validators[type](data)) return null
  return { id, type, data } as EventOf<M>
}

export const parseEvent = (raw: unknown): ServerEvent | null => parseWith(AGENT_EVENTS, raw)
export const parseContactEvent = (raw: unknown): ContactEvent | null => parseWith(CONTACT_EVENTS, raw)

/** Dispatches a validated event through the handler table. Returns false for `ping`. */
export function dispatchEvent<M>(handlers: HandlersOf<M>, event: EventOf<M>): boolean {
  const e = event as { id: number | null; type: string; data: unknown }
  if (e.type === 'ping') return false
  const table = handlers as Record<string, (data: unknown, meta: { id: number | null; type: string }) => void>
  table[e.type]?.(e.data, { id: e.id, type: e.type })
  return true
}
