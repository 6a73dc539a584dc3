/**
 * Ticket events from the agent socket, fanned out in the page: the ticket list and the open ticket
 * apply them, and the SLA alerts decide whether they are for me. Handlers are spread into the
 * console's event → handler table (handlers.ts).
 */
import type { HandlersOf } from '../../../shared/events'
import type { TicketEventDataMap } from '../../../shared/tickets'

export type TicketEvent = {
  [K in keyof TicketEventDataMap]: { type: K; data: TicketEventDataMap[K] }
}[keyof TicketEventDataMap]

type Listener = (event: TicketEvent) => void
const listeners = new Set<Listener>()

export function onTicketEvent(fn: Listener): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

export function emitTicketEvent(event: TicketEvent): void {
  for (const fn of listeners) fn(event)
}

export const ticketHandlers: HandlersOf<TicketEventDataMap> = {
  'ticket.created': (data) => emitTicketEvent({ type: 'ticket.created', data }),
  'ticket.updated': (data) => emitTicketEvent({ type: 'ticket.updated', data }),
  'ticket.comment_created': (data) => emitTicketEvent({ type: 'ticket.comment_created', data }),
  'ticket.sla_warning': (data) => emitTicketEvent({ type: 'ticket.sla_warning', data }),
  'ticket.sla_breached': (data) => emitTicketEvent({ type: 'ticket.sla_breached', data }),
  'ticket.escalated': (data) => emitTicketEvent({ type: 'ticket.escalated', data }),
  'ticket.followup_due': (data) => emitTicketEvent({ type: 'ticket.followup_due', data }),
}
