/** Typed endpoints of tickets, their configuration (fields, SLA policies, views) and the requester link. */
import type { Message } from '../../../shared/types'
import type {
  SlaClock,
  Ticket,
  TicketComment,
  TicketPriority,
  TicketStatus,
  TicketType,
} from '../../../shared/tickets'
import { client } from './client'

export type { Ticket, TicketComment, TicketPriority, TicketStatus, TicketType, SlaClock }

export type TicketSort = 'created_at' | '-created_at' | 'updated_at' | '-updated_at' | 'priority' | '-priority'

/** The list filters; the same shape is stored in saved views. */
export interface TicketFilters {
  status: TicketStatus[]
  priority: TicketPriority[]
  type: TicketType[]
  assignee_id: string | null // a user id, 'me' or 'none'
  team_id: string | null
  requester_id?: string | null
  conversation_id?: string | null
  tag: string | null
  q: string | null
  sla: 'breached' | 'warned' | null
}

export interface Requester {
  id: string
  name: string
  email: string | null
}

export interface TicketPage {
  items: Ticket[]
  next_cursor: string | null
  requesters: Requester[]
}

export interface TicketChange {
  id: string
  actor_type: string
  actor_id: string | null
  field: string
  old: unknown
  new: unknown
  created_at: string
}

export interface TicketUpdate {
  subject?: string
  type?: TicketType
  priority?: TicketPriority
  status?: TicketStatus
  assignee_id?: string | null
  team_id?: string | null
  tags?: string[]
  custom_fields?: Record<string, unknown>
  follow_up_at?: string
  follow_up_note?: string
}

export type FieldKind = 'text' | 'number' | 'select' | 'date'
export interface TicketFieldIn {
  key: string
  label: Record<string, string>
  kind: FieldKind
  options: string[]
  required: boolean
}
export interface TicketField extends TicketFieldIn {
  id: string
}

export interface SavedViewIn {
  name: string
  shared: boolean
  filters: Partial<TicketFilters>
  sort: TicketSort
}
export interface SavedView {
  id: string
  name: string
  owner_id: string | null
  filters: TicketFilters
  sort: TicketSort
}

export interface SlaPolicyIn {
  name: string
  position: number
  complaint: boolean
  match: { priorities: TicketPriority[]; types: TicketType[]; contact_tags: string[] }
  first_response_minutes: number | null
  resolution_minutes: number | null
  warn_percent: number
  calendar: Record<string, unknown> | null
  escalation: { raise_priority: boolean; team_id: string | null; notify_user_ids: string[] }
}
export interface SlaPolicy extends SlaPolicyIn {
  id: string
}

export interface FollowUp {
  id: string
  ticket_id: string
  assignee_id: string | null
  due_at: string
  note: string
  fired_at: string | null
  done_at: string | null
}

const T = (id: string): string => `/tickets/${encodeURIComponent(id)}`
const post = <R>(path: string, body: unknown = {}): Promise<R> => client.call<R>(path, { method: 'POST', body })

export const ticketsApi = {
  /** `query` is built by `ticketQuery` (repeated list parameters). */
  list: (query: string) => client.call<TicketPage>(`/tickets${query ? `?${query}` : ''}`),
  get: (id: string) => client.call<Ticket>(T(id)),
  create: (body: { subject: string; requester_id?: string; requester_email?: string; description?: string; type?: TicketType; priority?: TicketPriority }) =>
    post<Ticket>('/tickets', body),
  fromConversation: (conversationId: string, body: { subject?: string; type?: TicketType; priority?: TicketPriority } = {}) =>
    post<Ticket>(`/conversations/${encodeURIComponent(conversationId)}/ticket`, body),
  update: (id: string, body: TicketUpdate) => client.call<Ticket>(T(id), { method: 'PATCH', body }),
  bulk: (ids: string[], changes: TicketUpdate) => post<Ticket[]>('/tickets/bulk', { ids, changes }),
  merge: (targetId: string, sourceIds: string[]) => post<Ticket>(`${T(targetId)}/merge`, { source_ids: sourceIds }),
  comments: (id: string) => client.call<TicketComment[]>(`${T(id)}/comments`),
  comment: (id: string, body: { body: string; public: boolean; status?: TicketStatus }) =>
    post<TicketComment>(`${T(id)}/comments`, body),
  history: (id: string) => client.call<TicketChange[]>(`${T(id)}/history`),
  transcript: (id: string) => client.call<Message[]>(`${T(id)}/transcript`),
  portalLink: (id: string) => client.call<{ url: string; token: string }>(`${T(id)}/portal-link`),
  followups: (id: string) => client.call<FollowUp[]>(`${T(id)}/followups`),
  followupDone: (id: string) => post<FollowUp>(`/ticket-followups/${encodeURIComponent(id)}/done`),
  attachment: (ticketId: string, attachmentId: string) =>
    client.blob(`${T(ticketId)}/attachments/${encodeURIComponent(attachmentId)}`),

  views: () => client.call<SavedView[]>('/ticket-views'),
  createView: (body: SavedViewIn) => post<SavedView>('/ticket-views', body),
  deleteView: (id: string) => client.call<void>(`/ticket-views/${encodeURIComponent(id)}`, { method: 'DELETE' }),

  fields: () => client.call<TicketField[]>('/ticket-fields'),
  createField: (body: TicketFieldIn) => post<TicketField>('/ticket-fields', body),
  deleteField: (id: string) => client.call<void>(`/ticket-fields/${encodeURIComponent(id)}`, { method: 'DELETE' }),

  policies: () => client.call<SlaPolicy[]>('/sla-policies'),
  createPolicy: (body: SlaPolicyIn) => post<SlaPolicy>('/sla-policies', body),
  updatePolicy: (id: string, body: SlaPolicyIn) =>
    client.call<SlaPolicy>(`/sla-policies/${encodeURIComponent(id)}`, { method: 'PUT', body }),
  deletePolicy: (id: string) => client.call<void>(`/sla-policies/${encodeURIComponent(id)}`, { method: 'DELETE' }),
}
