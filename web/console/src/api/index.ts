/** Typed endpoints of the REST API used by the console (contract v1). */
import type {
  Attachment,
  Contact,
  Conversation,
  ConversationStatus,
  Csat,
  Me,
  Message,
  Page,
  HandoffContext,
  Presence,
  PresenceStatus,
  SuggestedReply,
  TokenPair,
} from '../../../shared/types'
import type { QuickReply } from './admin'
import { client } from './client'

export type InboxView = 'mine' | 'unassigned' | 'all'

export interface ConversationQuery {
  view: InboxView
  status?: ConversationStatus | null
  q?: string
  contact_id?: string
  cursor?: string | null
  limit?: number
}

const post = <T>(path: string, body: unknown = {}): Promise<T> => client.call<T>(path, { method: 'POST', body })
const conv = (id: string): string => `/conversations/${encodeURIComponent(id)}`

export const api = {
  login: (email: string, password: string) =>
    client.anonymous<TokenPair>('/auth/login', { method: 'POST', body: { email, password } }),
  logout: () => post<unknown>('/auth/logout'),
  me: () => client.call<Me>('/me'),
  wsTicket: () => post<{ ticket: string; expires_in: number }>('/ws/ticket'),

  conversations: (query: ConversationQuery) =>
    client.call<Page<Conversation>>('/conversations', {
      query: {
        view: query.view,
        status: query.status,
        q: query.q,
        contact_id: query.contact_id,
        cursor: query.cursor,
        limit: query.limit ?? 50,
      },
    }),
  conversation: (id: string) => client.call<Conversation>(conv(id)),
  messages: (id: string, afterSeq: number, limit = 100) =>
    client.call<Page<Message>>(`${conv(id)}/messages`, { query: { after_seq: afterSeq, limit } }),
  sendMessage: (id: string, body: { client_msg_id: string; body: string; private: boolean; attachment_ids?: string[] }) =>
    post<Message>(`${conv(id)}/messages`, body),

  assign: (id: string, assigneeId: string) => post<Conversation>(`${conv(id)}/assign`, { assignee_id: assigneeId }),
  unassign: (id: string) => post<Conversation>(`${conv(id)}/unassign`),
  resolve: (id: string) => post<Conversation>(`${conv(id)}/resolve`),
  reopen: (id: string) => post<Conversation>(`${conv(id)}/reopen`),
  close: (id: string) => post<Conversation>(`${conv(id)}/close`),
  setTags: (id: string, tags: string[]) => client.call<Conversation>(`${conv(id)}/tags`, { method: 'PUT', body: { tags } }),
  suggestions: (id: string) => client.call<{ query: string | null; items: SuggestedReply[] }>(`${conv(id)}/suggestions`),
  csat: (id: string) => client.call<Csat>(`${conv(id)}/csat`),
  handoffContext: (id: string) => client.call<HandoffContext>(`${conv(id)}/handoff-context`),

  contact: (id: string) => client.call<Contact>(`/contacts/${encodeURIComponent(id)}`),
  updateContact: (id: string, body: Partial<Pick<Contact, 'name' | 'email' | 'phone' | 'tags' | 'attributes'>>) =>
    client.call<Contact>(`/contacts/${encodeURIComponent(id)}`, { method: 'PATCH', body }),

  upload: (file: File) => {
    const form = new FormData()
    form.append('file', file)
    return client.call<Attachment>('/attachments', { method: 'POST', body: form })
  },
  download: (url: string) => client.blob(url),
  quickReplies: () => client.call<QuickReply[]>('/quick-replies'),
  users: () => client.call<Me[]>('/users'),
  presence: () => client.call<Presence[]>('/presence'),
  setPresence: (status: PresenceStatus) => client.call<Presence>('/presence', { method: 'PUT', body: { status } }),
  transfer: (id: string, body: { agent_id?: string; team_id?: string; note: string }) =>
    post<Conversation>(`${conv(id)}/transfer`, body),
  teams: () => client.call<{ id: string; name: string }[]>('/teams'),
}
