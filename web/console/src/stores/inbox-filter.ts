/**
 * Which conversations belong in the list being shown, so live events can add, move or drop rows
 * without refetching. Rules: view → mine: assigned to me; unassigned: no assignee; all: every one.
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

export type Membership = 'member' | 'not-member' | 'unknown'

export function membership(conv: Conversation, filter: InboxFilter, meId: string | null): Membership {
  const inView =
    filter.view === 'all' ||
    (filter.view === 'mine' && meId !== null && conv.assignee_id === meId) ||
    (filter.view === 'unassigned' && conv.assignee_id === null)
  if (!inView || (filter.status !== null && conv.status !== filter.status)) return 'not-member'
  return filter.q.trim() ? 'unknown' : 'member'
}

/** Most recent activity first. */
export function byActivity(a: Conversation, b: Conversation): number {
  const ta = a.last_message_at ?? a.updated_at
  const tb = b.last_message_at ?? b.updated_at
  return tb.localeCompare(ta)
}
