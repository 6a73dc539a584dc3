import { describe, expect, it, vi } from 'vitest'
import { parseIntervals } from '../console/src/admin/logic'
import { createHandlers } from '../console/src/realtime/handlers'
import { emitTicketEvent, onTicketEvent } from '../console/src/realtime/ticket-bus'
import { dispatchEvent, parseEvent } from '../shared/events'
import type { Ticket } from '../shared/tickets'
import {
  applyTicket,
  builtinFilters,
  bulkChanges,
  calendarForm,
  calendarOf,
  compactFilters,
  emptyFilters,
  fieldValue,
  formatSpan,
  matchesFilters,
  slaBadge,
  statusChoices,
  ticketAlert,
  ticketQuery,
  timeline,
} from '../console/src/tickets'

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

const NOW = Date.parse('2026-03-02T10:00:00Z')
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString()
const sla = (over: Partial<Ticket['sla']>) => ({ ...ticket().sla, policy_id: 'p1', ...over })

describe('slaBadge', () => {
  it('shows the most urgent running clock: time left, warning, overdue', () => {
    const t = ticket({ sla: sla({ first_response_due_at: at(30), first_response_warn_at: at(20), resolution_due_at: at(300) }) })
    expect(slaBadge(t, NOW)).toEqual({ state: 'ok', clock: 'first_response', msLeft: 30 * 60_000 })
    expect(slaBadge(t, NOW + 25 * 60_000)?.state).toBe('warning')
    expect(slaBadge(t, NOW + 31 * 60_000)).toMatchObject({ state: 'breached', msLeft: -60_000 })
  })

  it('says breached once the server did, paused while pending, nothing without a policy or when closed', () => {
    expect(slaBadge(ticket({ sla: sla({ resolution_due_at: at(60), resolution_breached: true }) }), NOW)?.state).toBe('breached')
    expect(slaBadge(ticket({ sla: sla({ first_response_breached: true }) }), NOW)).toEqual({ state: 'breached', clock: 'first_response', msLeft: null })
    expect(slaBadge(ticket({ status: 'pending', sla: sla({ resolution_paused: true }) }), NOW)?.state).toBe('paused')
    expect(slaBadge(ticket(), NOW)).toBeNull()
    expect(slaBadge(ticket({ status: 'closed', sla: sla({ resolution_breached: true }) }), NOW)).toBeNull()
  })
})

describe('formatSpan', () => {
  it.each([
    [30_000, '<1m', '<1分钟'],
    [5 * 60_000, '5m', '5分钟'],
    [-(65 * 60_000), '1h 5m', '1小时5分'],
    [120 * 60_000, '2h', '2小时'],
    [(2 * 1440 + 180) * 60_000, '2d 3h', '2天3小时'],
  ])('%d ms', (ms, en, zh) => {
    expect(formatSpan(ms, 'en')).toBe(en)
    expect(formatSpan(ms, 'zh-CN')).toBe(zh)
  })
})

describe('filters and live rows', () => {
  it('builds the query with repeated list parameters and without empty values', () => {
    const f = { ...builtinFilters('mine'), tag: ' vip ', q: '' }
    expect(ticketQuery(f, '-priority', 'abc', 20)).toBe(
      'status=new&status=open&status=pending&status=on-hold&assignee_id=me&tag=vip&sort=-priority&limit=20&cursor=abc',
    )
    expect(compactFilters(emptyFilters())).toEqual({})
  })

  it('matches like the server', () => {
    const f = builtinFilters('unassigned')
    expect(matchesFilters(ticket(), f, 'u1')).toBe(true)
    expect(matchesFilters(ticket({ assignee_id: 'u1' }), f, 'u1')).toBe(false)
    expect(matchesFilters(ticket({ assignee_id: 'u1' }), builtinFilters('mine'), 'u1')).toBe(true)
    expect(matchesFilters(ticket({ status: 'solved' }), builtinFilters('active'), null)).toBe(false)
    expect(matchesFilters(ticket(), builtinFilters('breached'), null)).toBe(false)
    expect(matchesFilters(ticket({ sla: sla({ resolution_breached: true }) }), builtinFilters('breached'), null)).toBe(true)
  })

  it('adds, moves and drops rows; with a search text only updates shown rows', () => {
    const a = ticket({ id: 'a', updated_at: '2026-01-01T00:00:00Z' })
    const b = ticket({ id: 'b', updated_at: '2026-01-02T00:00:00Z' })
    const f = builtinFilters('active')
    let rows = applyTicket([b], a, f, '-updated_at', null)
    expect(rows.map((r) => r.id)).toEqual(['b', 'a'])
    rows = applyTicket(rows, { ...a, updated_at: '2026-01-03T00:00:00Z' }, f, '-updated_at', null)
    expect(rows.map((r) => r.id)).toEqual(['a', 'b'])
    rows = applyTicket(rows, { ...a, status: 'solved' }, f, '-updated_at', null)
    expect(rows.map((r) => r.id)).toEqual(['b'])
    expect(applyTicket([b], a, { ...f, q: 'refund' }, '-updated_at', null).map((r) => r.id)).toEqual(['b'])
  })
})

describe('timeline, bulk, alerts, fields, statuses', () => {
  it('interleaves comments and groups changes made together', () => {
    const c = { id: 'c', ticket_id: 't1', author_type: 'agent', author_id: 'u1', body: 'hi', html: null, public: true, channel: 'api', attachments: [], created_at: '2026-01-01T00:02:00Z' }
    const ch = (id: string, field: string, time: string) => ({ id, actor_type: 'agent', actor_id: 'u1', field, old: null, new: 'x', created_at: time })
    const entries = timeline([c], [ch('1', 'created', '2026-01-01T00:00:00Z'), ch('2', 'status', '2026-01-01T00:03:00Z'), ch('3', 'priority', '2026-01-01T00:03:00Z'), ch('4', 'first_responded_at', '2026-01-01T00:02:00Z')])
    expect(entries.map((e) => (e.kind === 'comment' ? 'comment' : e.changes.map((x) => x.field).join('+')))).toEqual(['created', 'comment', 'status+priority'])
  })

  it('sends only what the agent picked in a bulk update', () => {
    expect(bulkChanges({ status: '', priority: '', assignee: '' })).toBeNull()
    expect(bulkChanges({ status: 'solved', priority: '', assignee: 'none' })).toEqual({ status: 'solved', assignee_id: null })
  })

  it('alerts the recipients only', () => {
    const e = { type: 'ticket.sla_warning' as const, data: { ticket: ticket(), clock: 'resolution' as const, recipients: ['u1'] } }
    expect(ticketAlert(e, 'u1')).toBe('sla_warning')
    expect(ticketAlert(e, 'u2')).toBeNull()
    expect(ticketAlert({ type: 'ticket.created', data: { ticket: ticket() } }, 'u1')).toBeNull()
  })

  it('normalises custom field values and offers legal statuses', () => {
    expect(fieldValue('number', '12.5')).toBe(12.5)
    expect(fieldValue('text', '  ')).toBeNull()
    expect(fieldValue('date', '2026-01-02')).toBe('2026-01-02')
    expect(statusChoices('solved')).toEqual(['solved', 'open', 'closed'])
    expect(statusChoices('closed')).toEqual(['closed'])
  })

  it('round-trips SLA calendars (tenant hours, 24/7, own weekly hours with holidays)', () => {
    expect(calendarOf(calendarForm(null), parseIntervals)).toBeNull()
    expect(calendarOf(calendarForm({ always_open: true }), parseIntervals)).toEqual({ always_open: true })
    const own = { weekly: { mon: [['09:00', '12:00'], ['13:00', '18:00']] }, holidays: ['2026-10-01'], workdays: ['2026-09-27'] }
    const form = calendarForm(own)
    expect(form.week[0]).toBe('09:00-12:00, 13:00-18:00')
    expect(calendarOf(form, parseIntervals, own)).toEqual(own)
    form.week[1] = 'nonsense'
    expect(calendarOf(form, parseIntervals, own)).toBeUndefined()
  })
})
