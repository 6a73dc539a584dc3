/** Pure helpers of the administration screens (unit-tested without a browser). */
import { ApiError } from '../../../shared/http'
import type { Role } from '../../../shared/types'
import type { ImportRowError } from '../api/admin'

/** The `<script>` tag a site owner pastes to embed the widget of one inbox. */
export function embedSnippet(origin: string, widgetKey: string): string {
  const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
  return `<script src="${attr(origin)}/widget/kefu-widget.js" data-widget-key="${attr(widgetKey)}" async></script>`
}

/** "a, b\nc；d" → ["a", "b", "c", "d"]: trimmed, without empties or duplicates. */
export function parseList(text: string): string[] {
  const out: string[] = []
  for (const part of text.split(/[\n,，;；]/)) {
    const item = part.trim()
    if (item && !out.includes(item)) out.push(item)
  }
  return out
}

/** An origin as browsers send it: scheme://host[:port], no path. */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '')
  } catch {
    return false
  }
}

export function isColor(value: string): boolean {
  return /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(value)
}

/** The per-row report of a refused import (422 `{code, message, errors: [{row, column, reason}]}`), or null. */
export function importErrors(err: unknown): ImportRowError[] | null {
  if (!(err instanceof ApiError) || err.status !== 422) return null
  const payload = err.payload as { errors?: unknown } | null
  if (!payload || !Array.isArray(payload.errors)) return null
  return payload.errors
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => ({
      row: typeof e.row === 'number' ? e.row : 0,
      column: typeof e.column === 'string' ? e.column : null,
      reason: typeof e.reason === 'string' ? e.reason : String(e.reason ?? ''),
    }))
}

export type AdminPage =
  | 'users'
  | 'teams'
  | 'routing'
  | 'hours'
  | 'widget'
  | 'kb'
  | 'quick-replies'
  | 'bot'
  | 'sla'
  | 'ticket-fields'
  | 'quality-rules'
  | 'alerts'
  | 'webhooks'

const PAGE_ROLES: Record<AdminPage, readonly Role[]> = {
  users: ['admin'],
  teams: ['admin'],
  routing: ['admin'],
  hours: ['admin'],
  widget: ['admin'],
  kb: ['admin', 'supervisor'],
  'quick-replies': ['admin', 'supervisor'],
  bot: ['admin'],
  sla: ['admin'],
  'ticket-fields': ['admin'],
  'quality-rules': ['admin', 'supervisor'],
  alerts: ['admin', 'supervisor'],
  webhooks: ['admin'],
}
export const ADMIN_PAGES = Object.keys(PAGE_ROLES) as AdminPage[]

/** The settings pages a role may open, in menu order. */
export function adminPagesFor(role: Role | null | undefined): AdminPage[] {
  return role ? ADMIN_PAGES.filter((p) => PAGE_ROLES[p].includes(role)) : []
}

export type NavItem = 'inbox' | 'tickets' | 'quality' | 'monitor' | 'reports' | 'wfm' | 'settings'

/** Top navigation by role: agents work the inbox and tickets and see their own quality results;
 * supervisors also monitor, report, plan staff and curate; admins configure. */
export function navFor(role: Role | null | undefined): NavItem[] {
  const items: NavItem[] = ['inbox']
  if (role) items.push('tickets', 'quality')
  if (role === 'supervisor' || role === 'admin') items.push('monitor', 'reports', 'wfm')
  if (adminPagesFor(role).length > 0) items.push('settings')
  return items
}

/** Whether a role may open a route that lists its roles (no list: everyone signed in). */
export function roleAllows(role: Role | null | undefined, roles: readonly Role[] | undefined): boolean {
  return !roles || (role !== null && role !== undefined && roles.includes(role))
}

export function rolesOf(page: AdminPage): readonly Role[] {
  return PAGE_ROLES[page]
}

/** Saves a Blob as a file through a temporary link. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Copies text; falls back to a selected textarea on non-secure pages (no Clipboard API there). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    const area = document.createElement('textarea')
    area.value = text
    document.body.append(area)
    area.select()
    const ok = document.execCommand('copy')
    area.remove()
    return ok
  }
}

export interface Interval {
  start: string
  end: string
}

/** "09:00-12:00, 13:30-18:00" → intervals; null when a part is not HH:MM-HH:MM with start < end. */
export function parseIntervals(text: string): Interval[] | null {
  const out: Interval[] = []
  for (const part of parseList(text)) {
    const m = /^([01]\d|2[0-3]):([0-5]\d)\s*[-–~]\s*([01]\d|2[0-4]):([0-5]\d)$/.exec(part)
    if (!m) return null
    const start = `${m[1]}:${m[2]}`
    const end = `${m[3]}:${m[4]}`
    if (end <= start) return null
    out.push({ start, end })
  }
  return out
}

export function formatIntervals(intervals: readonly Interval[] | null | undefined): string {
  return (intervals ?? []).map((i) => `${i.start}-${i.end}`).join(', ')
}
