import { describe, expect, it, vi } from 'vitest'
import { createHandlers } from '../console/src/realtime/handlers'
import { dispatchEvent } from '../shared/events'
import { conversation, message } from './fixtures'

describe('console handler table', () => {
  function targets() {
    return {
      inbox: { upsert: vi.fn(), noteMessage: vi.fn(), load: vi.fn(async () => undefined) },
      conversation: {
        receive: vi.fn(),
        update: vi.fn(),
        setContactTyping: vi.fn(),
        catchUp: vi.fn(async () => undefined),
        current: conversation({ id: 'c1' }),
      },
    }
  }

  it('feeds messages to the inbox preview and the open conversation', () => {
    const t = targets()
    const m = message()
    dispatchEvent(createHandlers(t), { id: 1, type: 'message.created', data: { message: m } })
    expect(t.inbox.noteMessage).toHaveBeenCalledWith(m)
    expect(t.conversation.receive).toHaveBeenCalledWith(m)
  })

  it('applies conversation changes to both stores', () => {
    const t = targets()
    const c = conversation({ status: 'assigned', assignee_id: 'u1' })
    dispatchEvent(createHandlers(t), { id: 2, type: 'conversation.assigned', data: { conversation: c } })
    expect(t.inbox.upsert).toHaveBeenCalledWith(c)
    expect(t.conversation.update).toHaveBeenCalledWith(c)
  })

  it('shows typing only for the contact of the open conversation', () => {
    const t = targets()
    const h = createHandlers(t)
    dispatchEvent(h, { id: null, type: 'typing', data: { conversation_id: 'other', sender_type: 'contact', typing: true } })
    dispatchEvent(h, { id: null, type: 'typing', data: { conversation_id: 'c1', sender_type: 'agent', typing: true } })
    expect(t.conversation.setContactTyping).not.toHaveBeenCalled()
    dispatchEvent(h, { id: null, type: 'typing', data: { conversation_id: 'c1', sender_type: 'contact', typing: true } })
    expect(t.conversation.setContactTyping).toHaveBeenCalledWith(true)
  })

  it('refetches the inbox and the open conversation on resync_required', () => {
    const t = targets()
    dispatchEvent(createHandlers(t), { id: null, type: 'resync_required', data: {} })
    expect(t.inbox.load).toHaveBeenCalled()
    expect(t.conversation.catchUp).toHaveBeenCalled()
  })

  it('reports assignments with the previous assignee after applying them', () => {
    const t = targets()
    const seen: unknown[] = []
    const h = createHandlers({ ...t, onAssigned: (c, prev) => seen.push([c.id, prev, t.inbox.upsert.mock.calls.length]) })
    const c = conversation({ assignee_id: 'me' })
    dispatchEvent(h, { id: 3, type: 'conversation.assigned', data: { conversation: c, previous_assignee_id: 'u9' } })
    dispatchEvent(h, { id: 4, type: 'conversation.assigned', data: { conversation: c } })
    expect(seen).toEqual([
      ['c1', 'u9', 1],
      ['c1', null, 2],
    ])
  })
})

describe('conversation change signal', () => {
  it('fires for conversation events (the monitor listens)', async () => {
    const { onConversationsChanged } = await import('../console/src/realtime/bus')
    const { createHandlers } = await import('../console/src/realtime/handlers')
    let fired = 0
    const off = onConversationsChanged(() => (fired += 1))
    const noop = () => undefined
    const handlers = createHandlers({
      inbox: { upsert: noop, noteMessage: noop, load: async () => undefined },
      conversation: { receive: noop, update: noop, setContactTyping: noop, catchUp: async () => undefined, current: null },
    })
    const conv = (await import('./fixtures')).conversation()
    handlers['conversation.updated']({ conversation: conv }, { id: 1, type: 'conversation.updated' })
    off()
    handlers['conversation.updated']({ conversation: conv }, { id: 2, type: 'conversation.updated' })
    expect(fired).toBe(1)
  })
})
