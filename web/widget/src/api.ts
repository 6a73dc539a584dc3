/** The widget's REST calls and the contact token kept per widget key. */
import { requestJson, toWebSocketBase } from '../../shared/http'
import type { Attachment, Locale, Message } from '../../shared/types'
import type { CsatWording } from './csat'

/** Whether the team is in now (the tenant's business hours), and when it opens next if not. */
export interface ServiceStatus {
  open_now: boolean
  next_open: string | null
}

/** The inbox's widget settings, sent with each session (older servers send no status: open). */
export interface InboxSettings extends Partial<ServiceStatus> {
  name: string
  greeting: Record<string, string>
  color: string
  languages: string[]
  /** The tenant's survey wording (older servers send none: built-in text). */
  csat?: CsatWording
}

/** The leave-a-message form as the server takes it (`POST /widget/tickets`). */
export interface LeaveBody {
  subject: string
  description: string
  name?: string
  email?: string
}

/** The ticket a left message became; `link` is its signed status page. */
export interface LeftTicket {
  id: string
  number: number
  status: string
  link: string
}

export interface WidgetSession {
  contact_token: string
  contact_id: string
  conversation_id: string | null
  inbox?: InboxSettings
}

export interface WidgetConfig {
  apiBase: string // e.g. "https://kefu.example.com"
  widgetKey: string
  locale: Locale
}

const storageKey = (widgetKey: string): string => `kefu:widget:${widgetKey}:contact_token`

export function loadToken(widgetKey: string): string | null {
  try {
    return localStorage.getItem(storageKey(widgetKey))
  } catch {
    return null // storage blocked (private mode, sandboxed iframe)
  }
}

export function saveToken(widgetKey: string, token: string | null): void {
  try {
    if (token) localStorage.setItem(storageKey(widgetKey), token)
    else localStorage.removeItem(storageKey(widgetKey))
  } catch {
    // keep the session in memory only
  }
}

export class WidgetApi {
  constructor(
    private readonly config: WidgetConfig,
    public token: string | null = null,
  ) {}

  /** Starts a session, resuming the contact of `contactToken` when the server still knows it. */
  async startSession(contactToken: string | null): Promise<WidgetSession> {
    const body: Record<string, string> = { widget_key: this.config.widgetKey, locale: this.config.locale }
    if (contactToken) body.contact_token = contactToken
    const session = await requestJson<WidgetSession>(this.config.apiBase, '/api/v1/widget/sessions', {
      method: 'POST',
      locale: this.config.locale,
      body,
    })
    this.token = session.contact_token
    return session
  }

  async messagesAfter(afterSeq: number): Promise<Message[]> {
    const page = await requestJson<{ items: Message[] }>(this.config.apiBase, '/api/v1/widget/messages', {
      locale: this.config.locale,
      token: this.token,
      query: { after_seq: afterSeq, limit: 100 },
    })
    return page.items
  }

  send(clientMsgId: string, body: string, attachmentIds: string[] = []): Promise<Message> {
    return this.post<Message>('/api/v1/widget/messages', { client_msg_id: clientMsgId, body, attachment_ids: attachmentIds })
  }

  upload(file: File): Promise<Attachment> {
    const form = new FormData()
    form.append('file', file)
    return this.post<Attachment>('/api/v1/widget/attachments', form)
  }

  /** Asks for a person; answers the conversation's new status. */
  handoff(): Promise<{ conversation_id: string; status: string }> {
    return this.post('/api/v1/widget/handoff')
  }

  /** The contact's conversation status and place in the queue (null position when not queued). */
  queue(): Promise<{ conversation_id: string | null; status: string | null; position: number | null; estimated_wait_seconds: number | null }> {
    return requestJson(this.config.apiBase, '/api/v1/widget/queue', { locale: this.config.locale, token: this.token })
  }

  /** Open now / next opening, again (the session carried it first). */
  status(): Promise<ServiceStatus> {
    return requestJson(this.config.apiBase, '/api/v1/widget/status', { locale: this.config.locale, token: this.token })
  }

  /** Leave a message: it becomes a ticket with a status page. */
  leaveMessage(body: LeaveBody): Promise<LeftTicket> {
    return this.post<LeftTicket>('/api/v1/widget/tickets', body)
  }

  feedback(messageId: string, helpful: boolean): Promise<unknown> {
    return this.post(`/api/v1/widget/messages/${encodeURIComponent(messageId)}/feedback`, { helpful })
  }

  rate(conversationId: string, score: number, comment: string): Promise<unknown> {
    return this.post('/api/v1/widget/csat', { conversation_id: conversationId, score, comment })
  }

  /**
   * Where the contact can open an attachment: the agent path `/api/v1/attachments/{id}` needs an agent's
   * bearer token, so it is rewritten to the widget path with the contact token as a query parameter.
   */
  attachmentUrl(url: string): string {
    const match = /^(?:https?:\/\/[^/]+)?\/api\/v1\/(?:widget\/)?attachments\/([^/?#]+)/.exec(url)
    if (!match) return url
    const params = new URLSearchParams({ token: this.token ?? '' })
    return `${this.config.apiBase}/api/v1/widget/attachments/${match[1]}?${params.toString()}`
  }

  private post<T>(path: string, body?: unknown): Promise<T> {
    return requestJson<T>(this.config.apiBase, path, { method: 'POST', locale: this.config.locale, token: this.token, body })
  }

  socketUrl(lastEventId: number): string {
    const params = new URLSearchParams({ token: this.token ?? '' })
    if (lastEventId > 0) params.set('last_event_id', String(lastEventId)) // none seen yet: start from now
    return `${toWebSocketBase(this.config.apiBase)}/api/v1/widget/ws?${params.toString()}`
  }
}
