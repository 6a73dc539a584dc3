import { describe, expect, it, vi } from 'vitest'
import { dispatchEvent, parseContactEvent, parseEvent, type EventHandlers } from '../shared/events'
import { conversation, message } from './fixtures'

const frame = (type: string, data: unknown, id: number | null = 7) => JSON.stringify({ id, type, data })

describe('parseEvent', () => {
  it('accepts every contract event type', () => {
    expect(parseEvent(frame('message.created', { message: message() }))?.type).toBe('message.created')
    for (const type of ['conversation.created', 'conversation.updated', 'conversation.assigned']) {
      expect(parseEvent(frame(type, { conversation: conversation() }))?.type).toBe(type)
    }
    expect(parseEvent(frame('typing', { conversation_id: 'c1', sender_type: 'contact', typing: true }, null))).toEqual({
      id: null,
      type: 'typing',
      data: { conversation_id: 'c1', sender_type: 'contact', typing: true },
    })
    expect(parseEvent(frame('resync_required', {}, null))?.type).toBe('resync_required')
    expect(parseEvent({ id: null, type: 'ping' })?.type).toBe('ping')
  })

  it('fills optional message arrays', () => {
    const { attachments: _a, suggestions: _s, ...bare } = message()
    const event = parseEvent(frame('message.created', { message: bare }))
    expect(event?.type === 'message.created' && event.data.message.suggestions).toEqual([])
  })

  it.each([
    ['not json', '{oops'],
    ['not an object', '[1,2]'],
    ['unknown type', frame('message.deleted', {})],
    ['prototype key as type', frame('toString', {})],
    ['fractional id', frame('resync_required', {}, 1.5)],
    ['string id', JSON.stringify({ id: '3', type: 'resync_required', data: {} })],
    ['message without seq', frame('message.created', { message: { ...message(), seq: '1' } })],
    ['bad sender type', frame('message.created', { message: { ...message(), sender_type: 'hacker' } })],
    ['bad suggestion', frame('message.created', { message: { ...message(), suggestions: [{ question: 1 }] } })],
    ['conversation missing', frame('conversation.updated', {})],
    ['bad status', frame('conversation.updated', { conversation: { ...conversation(), status: 'open' } })],
    ['typing without flag', frame('typing', { conversation_id: 'c1', sender_type: 'contact' })],
  ])('rejects %s', (_name, raw) => {
    expect(parseEvent(raw)).toBeNull()
  })
})

describe('dispatchEvent', () => {
  const table = (): EventHandlers => ({
    'message.created': vi.fn(),
    'conversation.created': vi.fn(),
    'conversation.updated': vi.fn(),
    'conversation.assigned': vi.fn(),
    'kb.published': vi.fn(),
    'presence.updated': vi.fn(),
    typing: vi.fn(),
    resync_required: vi.fn(),
    'ticket.created': vi.fn(),
    'ticket.updated': vi.fn(),
    'ticket.comment_created': vi.fn(),
    'ticket.sla_warning': vi.fn(),
    'ticket.sla_breached': vi.fn(),
    'ticket.escalated': vi.fn(),
    'ticket.followup_due': vi.fn(),
    'alert.raised': vi.fn(),
    'alert.cleared': vi.fn(),
  })

  it('routes each event to the handler for its type, with data and id', () => {
    const handlers = table()
    const m = message()
    expect(dispatchEvent(handlers, parseEvent(frame('message.created', { message: m }, 42))!)).toBe(true)
    expect(handlers['message.created']).toHaveBeenCalledWith({ message: m }, { id: 42, type: 'message.created' })
    expect(handlers['conversation.updated']).not.toHaveBeenCalled()
  })

  it('leaves ping to the socket', () => {
    const handlers = table()
    expect(dispatchEvent(handlers, { id: null, type: 'ping', data: {} })).toBe(false)
  })
})

describe('parseContactEvent', () => {
  it('accepts the reduced conversation a contact receives', () => {
    const event = parseContactEvent(frame('conversation.updated', { conversation: { id: 'c1', status: 'resolved' } }))
    expect(event?.type === 'conversation.updated' && event.data.conversation).toEqual({ id: 'c1', status: 'resolved' })
    expect(parseEvent(frame('conversation.updated', { conversation: { id: 'c1', status: 'resolved' } }))).toBeNull()
  })

  it('still validates messages fully', () => {
    expect(parseContactEvent(frame('message.created', { message: message() }))?.type).toBe('message.created')
    expect(parseContactEvent(frame('message.created', { message: { id: 'x' } }))).toBeNull()
  })
})
