/** Pure logic of the ticket screens (unit-tested in web/tests/tickets.test.ts). */
import type { Locale } from '../../shared/types'
import type { SlaClock, Ticket, TicketComment, TicketPriority, TicketStatus } from '../../shared/tickets'
import { TICKET_PRIORITIES } from '../../shared/tickets'
import type { TicketChange, TicketFilters, TicketSort, TicketUpdate } from './api/tickets'
import type { TicketEvent } from './realtime/ticket-bus'

// ---------------------------------------------------------------------------------------- SLA

export type SlaState = 'ok' | 'warning' | 'breached' | 'paused'

export interface SlaBadge {
  state: SlaState
  clock: SlaClock
  /** ms until due (negative: overdue); null when no clock runs (paused, or breached and stopped). */
  msLeft: number | null
}

interface RunningClock {
  clock: SlaClock
  due: number
  warn: number | null
  breached: boolean
}

const instant = (iso: string | null): number | null => (iso ? Date.parse(iso) : null)

function runningClocks(t: Ticket): RunningClock[] {
  const out: RunningClock[] = []
  const s = t.sla
  const pairs: [SlaClock, string | null, string | null, boolean][] = [
    ['first_response', s.first_response_due_at, s.first_response_warn_at, s.first_response_breached],
    ['resolution', s.resolution_due_at, s.resolution_warn_at, s.resolution_breached],
  ]
  for (const [clock, due, warn, breached] of pairs) {
    const at = instant(due)
    if (at !== null && !Number.isNaN(at)) out.push({ clock, due: at, warn: instant(warn), breached })
  }
  return out
}

/** The badge of a ticket's most urgent SLA clock at `now` (ms), or null when there is nothing to show. */
export function slaBadge(t: Ticket, now: number): SlaBadge | null {
  if (t.status === 'closed' || t.merged_into_id) return null
  const clocks = runningClocks(t).sort((a, b) => a.due - b.due)
  const first = clocks[0]
  if (first) {
    const msLeft = first.due - now
    let state: SlaState = 'ok'
    if (first.breached || msLeft <= 0) state = 'breached'
    else if (first.warn !== null && now >= first.warn) state = 'warning'
    return { state, clock: first.clock, msLeft }
  }
  if (t.sla.resolution_breached || t.sla.first_response_breached) {
    return { state: 'breached', clock: t.sla.resolution_breached ? 'resolution' : 'first_response', msLeft: null }
  }
  if (t.sla.resolution_paused) return { state: 'paused', clock: 'resolution', msLeft: null }
  return null
}

/** A compact duration: "2d 3h", "3h 5m", "5m", "<1m" (zh-CN: "2天3小时", "3小时5分", "5分钟", "<1分钟"). */
export function formatSpan(ms: number, locale: Locale): string {
  const zh = locale === 'zh-CN'
  const minutes = Math.floor(Math.abs(ms) / 60_000)
  if (minutes < 1) return zh ? '<1分钟' : '<1m'
  const d = Math.floor(minutes / 1440)
  const h = Math.floor((minutes % 1440) / 60)
  const m = minutes % 60
  if (d > 0) return zh ? `${d}天${h ? `${h}小时` : ''}` : `${d}d${h ? ` ${h}h` : ''}`
  if (h > 0) return zh ? `${h}小时${m ? `${m}分` : ''}` : `${h}h${m ? ` ${m}m` : ''}`
  return zh ? `${m}分钟` : `${m}m`
}

// ------------------------------------------------------------------------------- state machine

/** The statuses a ticket may move to (the server's machine; closed is final). */
const NEXT: Record<TicketStatus, TicketStatus[]> = {
  new: ['open', 'pending', 'on-hold', 'solved'],
  open: ['pending', 'on-hold', 'solved'],
  pending: ['open', 'on-hold', 'solved'],
  'on-hold': ['open', 'pending', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
}

/** The current status first, then where it may go. */
export function statusChoices(current: TicketStatus): TicketStatus[] {
  return [current, ...NEXT[current]]
}

// ------------------------------------------------------------------------------------ filters

export const ACTIVE_STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on-hold']

export function emptyFilters(): TicketFilters {
  return { status: [], priority: [], type: [], assignee_id: null, team_id: null, tag: null, q: null, sla: null }
}

export type BuiltinView = 'mine' | 'unassigned' | 'active' | 'breached' | 'all'
export const BUILTIN_VIEWS: BuiltinView[] = ['mine', 'unassigned', 'active', 'breached', 'all']

export type ViewChoice = { kind: 'builtin'; id: BuiltinView } | { kind: 'saved'; id: string }

export function builtinFilters(view: BuiltinView): TicketFilters {
  const f = emptyFilters()
  if (view !== 'all') f.status = [...ACTIVE_STATUSES]
  if (view === 'mine') f.assignee_id = 'me'
  if (view === 'unassigned') f.assignee_id = 'none'
  if (view === 'breached') f.sla = 'breached'
  return f
}

/** A saved view's stored filters (missing keys from older views) as a full filter object. */
export function normaliseFilters(f: Partial<TicketFilters> | null | undefined): TicketFilters {
  return { ...emptyFilters(), ...(f ?? {}) }
}

/** Only the filters that are set (what a saved view stores). */
export function compactFilters(f: TicketFilters): Partial<TicketFilters> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(f)) {
    if (Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined && value !== '') out[key] = value
  }
  return out as Partial<TicketFilters>
}

/** The list's query string: repeated parameters for lists, empty values left out. */
export function ticketQuery(f: TicketFilters, sort: TicketSort, cursor: string | null = null, limit = 50): string {
  const p = new URLSearchParams()
  for (const [key, value] of Object.entries(compactFilters(f))) {
    if (Array.isArray(value)) for (const v of value) p.append(key, String(v))
    else p.set(key, String(value).trim())
  }
  p.set('sort', sort)
  p.set('limit', String(limit))
  if (cursor) p.set('cursor', cursor)
  return p.toString()
}

/** Whether a ticket belongs in a list with these filters (the server's rules; `q` is left to the server). */
export function matchesFilters(t: Ticket, f: TicketFilters, meId: string | null): boolean {
  if (f.status.length && !f.status.includes(t.status)) return false
  if (f.priority.length && !f.priority.includes(t.priority)) return false
  if (f.type.length && !f.type.includes(t.type)) return false
  if (f.assignee_id === 'me' && (meId === null || t.assignee_id !== meId)) return false
  if (f.assignee_id === 'none' && t.assignee_id !== null) return false
  if (f.assignee_id && f.assignee_id !== 'me' && f.assignee_id !== 'none' && t.assignee_id !== f.assignee_id) return false
  if (f.team_id && t.team_id !== f.team_id) return false
  if (f.requester_id && t.requester_id !== f.requester_id) return false
  if (f.conversation_id && t.conversation_id !== f.conversation_id) return false
  if (f.tag && !t.tags.includes(f.tag)) return false
  if (f.sla === 'breached' && !(t.sla.first_response_breached || t.sla.resolution_breached)) return false
  if (f.sla === 'warned' && !t.sla.warned) return false
  return true
}

const rank = (p: TicketPriority): number => TICKET_PRIORITIES.indexOf(p)

/** The server's order: the sort key, then id, ascending or descending. */
export function compareTickets(sort: TicketSort): (a: Ticket, b: Ticket) => number {
  const desc = sort.startsWith('-')
  const key = sort.replace(/^-/, '') as 'created_at' | 'updated_at' | 'priority'
  const value = (t: Ticket): number => (key === 'priority' ? rank(t.priority) : Date.parse(t[key]))
  return (a, b) => {
    const d = value(a) - value(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
    return desc ? -d : d
  }
}

/** A live change applied to the shown rows: added, moved or dropped by the filters. With a search
 * text the server decides, so rows already shown are updated and none is added. */
export function applyTicket(rows: Ticket[], t: Ticket, f: TicketFilters, sort: TicketSort, meId: string | null): Ticket[] {
  const shown = rows.some((r) => r.id === t.id)
  const rest = rows.filter((r) => r.id !== t.id)
  if (!matchesFilters(t, f, meId) || (f.q && !shown)) return rest
  return [...rest, t].sort(compareTickets(sort))
}

// ----------------------------------------------------------------------------------- timeline

export type TimelineEntry =
  | { kind: 'comment'; at: string; comment: TicketComment }
  | { kind: 'changes'; at: string; actorType: string; actorId: string | null; changes: TicketChange[] }

/** Comments and history in time order; changes made together (same actor, same moment) form one entry. */
export function timeline(comments: TicketComment[], changes: TicketChange[]): TimelineEntry[] {
  const entries: TimelineEntry[] = comments.map((c) => ({ kind: 'comment', at: c.created_at, comment: c }))
  const hidden = new Set(['first_responded_at'])
  for (const ch of changes) {
    if (hidden.has(ch.field)) continue
    const last = entries.at(-1)
    if (last?.kind === 'changes' && last.at === ch.created_at && last.actorId === ch.actor_id) last.changes.push(ch)
    else entries.push({ kind: 'changes', at: ch.created_at, actorType: ch.actor_type, actorId: ch.actor_id, changes: [ch] })
  }
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
}

/** The comments list with one more (live or just posted), without duplicates. */
export function addComment(list: TicketComment[], c: TicketComment): TicketComment[] {
  return list.some((x) => x.id === c.id) ? list : [...list, c].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at))
}

// --------------------------------------------------------------------------------- bulk, alerts

export interface BulkForm {
  status: TicketStatus | ''
  priority: TicketPriority | ''
  assignee: string // '' = unchanged, 'none' = unassign, else a user id
}

/** Only what the agent picked; null when nothing was. */
export function bulkChanges(form: BulkForm): TicketUpdate | null {
  const out: TicketUpdate = {}
  if (form.status) out.status = form.status
  if (form.priority) out.priority = form.priority
  if (form.assignee) out.assignee_id = form.assignee === 'none' ? null : form.assignee
  return Object.keys(out).length ? out : null
}

export type TicketAlertKind = 'sla_warning' | 'sla_breached' | 'escalated' | 'followup_due'

/** Which alert a ticket event raises for me (the event's `recipients` name me), or null. */
export function ticketAlert(e: TicketEvent, meId: string | null): TicketAlertKind | null {
  if (meId === null) return null
  const kind: Partial<Record<TicketEvent['type'], TicketAlertKind>> = {
    'ticket.sla_warning': 'sla_warning',
    'ticket.sla_breached': 'sla_breached',
    'ticket.escalated': 'escalated',
    'ticket.followup_due': 'followup_due',
  }
  const k = kind[e.type]
  if (!k || !('recipients' in e.data) || !e.data.recipients.includes(meId)) return null
  return k
}

// ------------------------------------------------------------------------------ custom fields

/** A custom field's edited value as the API wants it: numbers as numbers, empty → null (removes it). */
export function fieldValue(kind: string, raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === '') return null
  if (kind === 'number') {
    const n = typeof raw === 'number' ? raw : Number(String(raw).trim())
    return Number.isFinite(n) ? n : raw
  }
  return typeof raw === 'string' ? raw.trim() || null : raw
}

// ------------------------------------------------------------------------------- SLA calendars

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type CalendarMode = 'tenant' | 'always' | 'custom'

export interface CalendarForm {
  mode: CalendarMode
  /** "09:00-12:00, 13:00-18:00" per weekday, Monday first. */
  week: string[]
  holidays: string[]
}

export function calendarForm(cal: Record<string, unknown> | null): CalendarForm {
  const week = WEEKDAYS.map(() => '')
  if (!cal) return { mode: 'tenant', week, holidays: [] }
  if (cal.always_open) return { mode: 'always', week, holidays: [] }
  const weekly = (cal.weekly ?? {}) as Record<string, [string, string][]>
  WEEKDAYS.forEach((d, i) => {
    week[i] = (weekly[d] ?? []).map(([a, b]) => `${a}-${b}`).join(', ')
  })
  const holidays = Array.isArray(cal.holidays) ? cal.holidays.filter((h): h is string => typeof h === 'string') : []
  return { mode: 'custom', week, holidays }
}

/** The policy's `calendar`; `parse` turns one day's text into intervals (null when invalid). */
export function calendarOf(
  form: CalendarForm,
  parse: (text: string) => { start: string; end: string }[] | null,
  kept: Record<string, unknown> | null = null,
): Record<string, unknown> | null | undefined {
  if (form.mode === 'tenant') return null
  if (form.mode === 'always') return { always_open: true }
  const weekly: Record<string, [string, string][]> = {}
  for (const [i, day] of WEEKDAYS.entries()) {
    const intervals = parse(form.week[i] ?? '')
    if (intervals === null) return undefined
    if (intervals.length) weekly[day] = intervals.map((x) => [x.start, x.end])
  }
  // make-up working days set through the API are kept as they are
  const extra = kept && !kept.always_open ? { workdays: kept.workdays, makeup: kept.makeup, makeup_weekday: kept.makeup_weekday } : {}
  const clean = Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined))
  return { weekly, holidays: [...form.holidays].sort(), ...clean }
}
