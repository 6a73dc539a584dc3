/** Ticket shapes of the REST API and of the agents' `ticket.*` realtime events (see docs/tickets.md). */
import { isObj } from './guards'

export type TicketStatus = 'new' | 'open' | 'pending' | 'on-hold' | 'solved' | 'closed'
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent'
export type TicketType = 'question' | 'incident' | 'problem' | 'task' | 'complaint'
export type SlaClock = 'first_response' | 'resolution'

export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'on-hold', 'solved', 'closed']
export const TICKET_PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent']
export const TICKET_TYPES: readonly TicketType[] = ['question', 'incident', 'problem', 'task', 'complaint']

/** When each running clock warns and is due (ISO instants), and what already happened. */
export interface TicketSla {
  policy_id: string | null
  first_response_warn_at: string | null
  first_response_due_at: string | null
  first_response_breached: boolean
  resolution_warn_at: string | null
  resolution_due_at: string | null
  resolution_paused: boolean
  resolution_breached: boolean
  warned: boolean
}

export interface Ticket {
  id: string
  number: number
  subject: string
  description: string
  requester_id: string
  channel: string
  conversation_id: string | null
  type: TicketType
  priority: TicketPriority
  status: TicketStatus
  assignee_id: string | null
  team_id: string | null
  tags: string[]
  custom_fields: Record<string, unknown>
  merged_into_id: string | null
  sla: TicketSla
  created_at: string
  updated_at: string
  solved_at: string | null
}

export interface TicketAttachment {
  id?: string
  filename?: string
  content_type?: string
  size?: number
  [key: string]: unknown
}

export interface TicketComment {
  id: string
  ticket_id: string
  author_type: 'agent' | 'contact' | 'system' | string
  author_id: string | null
  body: string
  html: string | null
  public: boolean
  channel: string
  attachments: TicketAttachment[]
  created_at: string
}

export interface TicketEventData {
  ticket: Ticket
}
export interface TicketUpdatedData extends TicketEventData {
  fields: string[]
}
export interface TicketCommentData {
  ticket_id: string
  comment: TicketComment
}
/** SLA warning / breach: for the assignee and the supervisors (`recipients`). */
export interface TicketSlaData extends TicketEventData {
  clock: SlaClock
  recipients: string[]
}
export interface TicketEscalatedData extends TicketSlaData {
  actions: string[]
}
export interface TicketFollowUpData extends TicketEventData {
  followup_id: string
  note: string
  recipients: string[]
}

const isStr = (v: unknown): v is string => typeof v === 'string'
const isStrOrNull = (v: unknown): boolean => v === null || isStr(v)
const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr)

export function isTicket(v: unknown): v is Ticket {
  if (!isObj(v) || !isObj(v.sla)) return false
  return (
    isStr(v.id) &&
    typeof v.number === 'number' &&
    isStr(v.subject) &&
    TICKET_STATUSES.includes(v.status as TicketStatus) &&
    TICKET_PRIORITIES.includes(v.priority as TicketPriority) &&
    isStrOrNull(v.assignee_id) &&
    isStrOrNull(v.team_id) &&
    isStrList(v.tags) &&
    isStr(v.updated_at)
  )
}

export function isTicketComment(v: unknown): v is TicketComment {
  return isObj(v) && isStr(v.id) && isStr(v.ticket_id) && isStr(v.body) && typeof v.public === 'boolean' && isStr(v.created_at)
}

const hasTicket = (d: Record<string, unknown>): boolean => isTicket(d.ticket)
const withRecipients = (d: Record<string, unknown>): boolean => hasTicket(d) && isStrList(d.recipients)

/** Validators of the agents' ticket events (merged into the agent table in events.ts). */
export const TICKET_EVENT_VALIDATORS = {
  'ticket.created': hasTicket,
  'ticket.updated': (d: Record<string, unknown>) => hasTicket(d) && isStrList(d.fields),
  'ticket.comment_created': (d: Record<string, unknown>) => isStr(d.ticket_id) && isTicketComment(d.comment),
  'ticket.sla_warning': withRecipients,
  'ticket.sla_breached': withRecipients,
  'ticket.escalated': withRecipients,
  'ticket.followup_due': withRecipients,
}

export interface TicketEventDataMap {
  'ticket.created': TicketEventData
  'ticket.updated': TicketUpdatedData
  'ticket.comment_created': TicketCommentData
  'ticket.sla_warning': TicketSlaData
  'ticket.sla_breached': TicketSlaData
  'ticket.escalated': TicketEscalatedData
  'ticket.followup_due': TicketFollowUpData
}
