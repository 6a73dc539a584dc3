import { describe, expect, it } from 'vitest'
import { byActivity, later, membership, type InboxFilter } from '../console/src/stores/inbox-filter'
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
    expect(membership(conversation({ status: 'resolved' }), f('unassigned'), 'me')).toBe('not-member')
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

  it('sorts like the server: updated_at, then id, descending', () => {
    const a = conversation({ id: 'a', updated_at: '2026-11-26T10:00:00Z' })
    const b = conversation({ id: 'b', updated_at: '2026-11-26T11:00:00Z' })
    const c = conversation({ id: 'c', updated_at: '2026-11-26T10:00:00Z' })
    expect([a, b, c].sort(byActivity).map((x) => x.id)).toEqual(['b', 'c', 'a'])
  })

  it('compares timestamps as instants whatever their precision or offset', () => {
    expect(later('2026-11-26T10:00:00Z', '2026-11-26T10:00:00.5Z')).toBe('2026-11-26T10:00:00.5Z')
    expect(later('2026-11-26T18:00:00+08:00', '2026-11-26T09:59:59Z')).toBe('2026-11-26T18:00:00+08:00')
  })
})
