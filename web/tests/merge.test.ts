import { describe, expect, it } from 'vitest'
import { addPending, maxSeq, mergeMessages, setDelivery, type ChatItem } from '../shared/merge'
import { message } from './fixtures'

const seqs = (items: ChatItem[]) => items.map((m) => m.seq)
const draft = (client_msg_id: string, body = 'hi') => ({
  conversation_id: 'c1',
  client_msg_id,
  body,
  private: false,
  sender_type: 'agent' as const,
  sender_id: 'u1',
})

describe('mergeMessages', () => {
  it('orders by seq whatever the arrival order', () => {
    const items = mergeMessages([], [message({ seq: 3 }), message({ seq: 1 }), message({ seq: 2 })])
    expect(seqs(items)).toEqual([1, 2, 3])
    expect(seqs(mergeMessages(items, [message({ seq: 0.5 + 1 })]))).toEqual([1, 1.5, 2, 3])
  })

  it('drops duplicates by id (replay after reconnect, REST and WS overlap)', () => {
    let items = mergeMessages([], [message({ seq: 1 }), message({ seq: 2 })])
    items = mergeMessages(items, [message({ seq: 2 }), message({ seq: 3 })])
    items = mergeMessages(items, [message({ seq: 1 }), message({ seq: 1 })])
    expect(seqs(items)).toEqual([1, 2, 3])
  })

  it('replaces a stale copy with the incoming one', () => {
    const items = mergeMessages([], [message({ seq: 1, body: 'old' })])
    expect(mergeMessages(items, [message({ seq: 1, body: 'new' })])[0]?.body).toBe('new')
  })

  it('keeps pending messages last and swaps them for the server copy by client_msg_id', () => {
    let items = mergeMessages([], [message({ seq: 1 })])
    items = addPending(items, draft('abc'))
    items = mergeMessages(items, [message({ seq: 2 })])
    expect(items.map((m) => m.delivery)).toEqual(['sent', 'sent', 'pending'])

    items = mergeMessages(items, [message({ seq: 3, id: 'srv3', client_msg_id: 'abc', sender_type: 'agent' })])
    expect(items.map((m) => [m.id, m.delivery])).toEqual([
      ['m1', 'sent'],
      ['m2', 'sent'],
      ['srv3', 'sent'],
    ])
    // The same message again over the socket: still once.
    items = mergeMessages(items, [message({ seq: 3, id: 'srv3', client_msg_id: 'abc', sender_type: 'agent' })])
    expect(items).toHaveLength(3)
  })

  it('does not mutate its input', () => {
    const before = mergeMessages([], [message({ seq: 2 })])
    const copy = [...before]
    mergeMessages(before, [message({ seq: 1 })])
    expect(before).toEqual(copy)
  })
})

describe('pending messages', () => {
  it('marks failures and retries with the same client_msg_id without duplicating', () => {
    let items = addPending([], draft('x'))
    items = setDelivery(items, 'x', 'failed')
    expect(items[0]?.delivery).toBe('failed')
    items = addPending(items, draft('x'))
    expect(items).toHaveLength(1)
    expect(items[0]?.delivery).toBe('pending')
  })

  it('maxSeq ignores local messages', () => {
    let items = mergeMessages([], [message({ seq: 4 }), message({ seq: 9 })])
    items = addPending(items, draft('y'))
    expect(maxSeq(items)).toBe(9)
    expect(maxSeq([])).toBe(0)
  })
})
