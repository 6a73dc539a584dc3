import type { Conversation, Message } from '../shared/types'

export function message(overrides: Partial<Message> = {}): Message {
  const seq = overrides.seq ?? 1
  return {
    id: `m${seq}`,
    conversation_id: 'c1',
    seq,
    sender_type: 'contact',
    sender_id: null,
    body: `hello ${seq}`,
    private: false,
    client_msg_id: null,
    attachments: [],
    suggestions: [],
    created_at: '2026-11-26T10:00:00Z',
    ...overrides,
  }
}

export function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'c1',
    contact: { id: 'ct1', name: 'Li Lei' },
    inbox_id: 'i1',
    channel: 'widget',
    status: 'queued',
    assignee_id: null,
    team_id: null,
    priority: 0,
    language: 'zh-CN',
    tags: [],
    created_at: '2026-11-26T10:00:00Z',
    updated_at: '2026-11-26T10:00:00Z',
    last_message_at: null,
    last_message_preview: null,
    ...overrides,
  }
}
