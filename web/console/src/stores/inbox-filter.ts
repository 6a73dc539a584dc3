/**
 * Which conversations belong in the list being shown, so live events can add, move or drop rows
 * without refetching. The rules mirror the server's (kefu/conversations/repository.py): mine =
 * assigned to me; unassigned = no assignee and still open (bot / queued / assigned); all = every one.
 * A status filter, when set, must match. With a search text the server decides: live events
 * update rows already shown but add none.
 */
import type { InboxView } from '../api'
import type { Conversation, ConversationStatus } from '../../../shared/types'

export interface InboxFilter {
  view: InboxView
  status: ConversationStatus | null
  q: string
}

const OPEN: readonly ConversationStatus[] = ['bot', 'queued', 'assigned']

export type Membership = 'member' | 'not-member' | 'unknown'

export function membership(conv: Conversation, filter: InboxFilter, meId: string | null): Membership {
  const inView =
    filter.view === 'all' ||
    (filter.view === 'mine' && meId !== null && conv.assignee_id === meId) ||
    (filter.view === 'unassigned' && conv.assignee_id === null && OPEN.includes(conv.status))
  if (!inView || (filter.status !== null && conv.status !== filter.status)) return 'not-member'
  return filter.q.trim() ? 'unknown' : 'member'
}

/** The server's order: most recently updated first, then by id (so pages and live rows agree). */
export function byActivity(a: Conversation, b: Conversation): number {
  return Date.parse(b.updated_at) - Date.parse(a.updated_at) || b.id.localeCompare(a.id)
}

/** The later of two ISO 8601 timestamps (compared as instants, not strings). */
export function later(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b
}
