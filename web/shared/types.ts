/** REST and realtime shapes shared by the console and the widget (API contract v1). */

export type ConversationStatus = 'bot' | 'queued' | 'assigned' | 'resolved' | 'closed' | 'abandoned'
export type SenderType = 'contact' | 'bot' | 'agent' | 'system'
export type Role = 'admin' | 'supervisor' | 'agent'
export type Locale = 'zh-CN' | 'en'

export interface Attachment {
  id: string
  filename: string
  content_type: string
  size: number
  url: string
}

export interface Suggestion {
  faq_id: string
  question: string
}

export interface Message {
  id: string
  conversation_id: string
  seq: number
  sender_type: SenderType
  sender_id: string | null
  body: string
  private: boolean
  client_msg_id: string | null
  attachments: Attachment[]
  suggestions: Suggestion[]
  created_at: string
}

export interface Conversation {
  id: string
  contact: { id: string; name: string }
  inbox_id: string
  channel: string
  status: ConversationStatus
  assignee_id: string | null
  team_id: string | null
  priority: number
  language: string | null
  tags: string[]
  created_at: string
  updated_at: string
  last_message_at: string | null
  last_message_preview: string | null
  handoff_reason?: string | null
  queued_at?: string | null
  assigned_at?: string | null
  resolved_at?: string | null
}

/** What a contact learns about its conversation from realtime events. */
export interface ConversationStatusRef {
  id: string
  status: ConversationStatus
}

export interface Me {
  id: string
  tenant_id: string
  name: string
  email: string
  role: Role
  languages: string[]
  max_concurrent: number
  team_ids?: string[]
}

export interface Identity {
  kind: string
  value: string
  verified: boolean
}

/** A customer record (the 360° panel). */
export interface Contact {
  id: string
  name: string
  email: string | null
  phone: string | null
  tags: string[]
  attributes: Record<string, unknown>
  created_at: string
  identities: Identity[]
}

/** A knowledge-base answer suggested for the contact's last message. */
export interface SuggestedReply {
  faq_id: string
  question: string
  answer: string
  score: number
}

export interface Csat {
  conversation_id: string
  score: number
  comment: string
  agent_id: string | null
  created_at: string
}

export interface TokenPair {
  access_token: string
  refresh_token: string
  token_type: 'bearer'
  expires_in: number
}

export interface Page<T> {
  items: T[]
  next_cursor?: string | null
}

export type PresenceStatus = 'online' | 'busy' | 'away' | 'offline'

/** An agent's presence and load (routing). */
export interface Presence {
  user_id: string
  name: string
  status: PresenceStatus
  since: string | null
  auto: boolean
  connected: boolean
  load: number
  capacity: number
}

/** What the bot learnt before handing a conversation to a person. */
export interface HandoffContext {
  conversation_id: string
  handoff_reason: string | null
  language: string | null
  intents: string[]
  turns: { outcome: string; question: string | null; score: number; created_at: string }[]
}
