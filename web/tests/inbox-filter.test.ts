import { describe, expect, it } from 'vitest'
import { byActivity, membership, type InboxFilter } from '../console/src/stores/inbox-filter'
import { conversation } from './fixtures'

const f = (view: InboxFilter['view'], status: InboxFilter['status'] = null, q = ''): InboxFilter => ({ view, status, q })

describe('inbox membership', () => {
  const mine = conversation({ assignee_id: 'me', status: 'assigned' })
  const theirs = conversation({ assignee_id: 'other', status: 'assigned' })
  const waiting = conversation({ assignee_id: null, status: 'queued' })

  it('places conversations by view', () => {
    expect(membership(mine, f('mine'), 'me')).toBe('member')
    expect(membership(theirs, f('mine'), 'me')).toBe('not-member')
    expect(membership(waiting, f('unassigned'), 'me')).toBe('member')
    expect(membership(mine, f('unassigned'), 'me')).toBe('not-member')
    expect(membership(theirs, f('all'), 'me')).toBe('member')
    expect(membership(mine, f('mine'), null)).toBe('not-member')
  })

  it('applies the status filter', () => {
    expect(membership(mine, f('mine', 'resolved'), 'me')).toBe('not-member')
    expect(membership(mine, f('mine', 'assigned'), 'me')).toBe('member')
  })

  it('leaves search results to the server', () => {
    expect(membership(mine, f('mine', null, 'refund'), 'me')).toBe('unknown')
    expect(membership(theirs, f('mine', null, 'refund'), 'me')).toBe('not-member')
  })

  it('sorts by latest activity', () => {
    const a = conversation({ id: 'a', last_message_at: '2026-11-26T10:00:00Z' })
    const b = conversation({ id: 'b', last_message_at: null, updated_at: '2026-11-26T11:00:00Z' })
    const c = conversation({ id: 'c', last_message_at: '2026-11-26T09:00:00Z' })
    expect([a, b, c].sort(byActivity).map((x) => x.id)).toEqual(['b', 'a', 'c'])
  })
})
