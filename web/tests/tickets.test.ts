import { describe, expect, it, vi } from 'vitest'
import { createHandlers } from '../console/src/realtime/handlers'
import { emitTicketEvent, onTicketEvent } from '../console/src/realtime/ticket-bus'
import { dispatchEvent, parseEvent } from '../shared/events'
import type { Ticket } from '../shared/tickets'

function ticket(over: Partial<Ticket> = {}): Ticket {
  return {
    id: 't1',
    number: 1,
    subject: 'Refund',
    description: '',
    requester_id: 'c1',
    channel: 'widget',
    conversation_id: null,
    type: 'question',
    priority: 'normal',
    status: 'open',
    assignee_id: null,
    team_id: null,
    tags: [],
    custom_fields: {},
    merged_into_id: null,
    sla: {
      policy_id: null,
      first_response_warn_at: null,
      first_response_due_at: null,
      first_response_breached: false,
      resolution_warn_at: null,
      resolution_due_at: null,
      resolution_paused: false,
      resolution_breached: false,
      warned: false,
    },
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    solved_at: null,
    ...over,
  }
}

const frame = (type: string, data: unknown) => JSON.stringify({ id: 7, type, data })

describe('ticket events', () => {
  it('are validated and reach the ticket bus', () => {
    const seen = vi.fn()
    const stop = onTicketEvent(seen)
    const e = parseEvent(frame('ticket.sla_breached', { ticket: ticket(), clock: 'resolution', recipients: ['u1'] }))
    expect(e?.type).toBe('ticket.sla_breached')
    const targets = {
      inbox: { upsert: vi.fn(), noteMessage: vi.fn(), load: vi.fn(async () => undefined) },
      conversation: { receive: vi.fn(), update: vi.fn(), setContactTyping: vi.fn(), catchUp: vi.fn(async () => undefined), current: null },
    }
    expect(e && dispatchEvent(createHandlers(targets), e)).toBe(true)
    expect(seen).toHaveBeenCalledWith({ type: 'ticket.sla_breached', data: expect.objectContaining({ clock: 'resolution' }) })
    stop()
    emitTicketEvent({ type: 'ticket.created', data: { ticket: ticket() } })
    expect(seen).toHaveBeenCalledTimes(1)
  })

  it('refuse frames without a valid ticket or recipients', () => {
    expect(parseEvent(frame('ticket.updated', { ticket: { ...ticket(), status: 'weird' }, fields: [] }))).toBeNull()
    expect(parseEvent(frame('ticket.sla_warning', { ticket: ticket(), clock: 'resolution' }))).toBeNull()
    expect(parseEvent(frame('ticket.comment_created', { ticket_id: 't1', comment: { id: 'x' } }))).toBeNull()
  })
})
