/**
 * The widget's controller: session, message list, sending over REST and receiving over WebSocket.
 * After every (re)connect it fetches messages after the highest seq it holds, so nothing is lost;
 * merging by id / client_msg_id means nothing shows twice.
 */
import {
  dispatchEvent,
  parseContactEvent,
  type ContactEvent,
  type ContactEventHandlers,
  type QueuePositionData,
} from '../../shared/events'
import { ApiError } from '../../shared/http'
import { addPending, maxSeq, mergeMessages, setDelivery, type ChatItem } from '../../shared/merge'
import { ResilientSocket } from '../../shared/socket'
import { newClientMsgId } from '../../shared/text'
import type { Attachment, ConversationStatus, Locale, Message } from '../../shared/types'
import { loadToken, saveToken, type InboxSettings, type WidgetApi } from './api'
import { withCsatWording } from './csat'
import type { Translate } from './i18n'
import { OffHours } from './leave'
import { el, queueText, renderCsat, renderMessage, suggestionsVisible, type Shell } from './view'

const TYPING_THROTTLE_MS = 3000
const TYPING_SHOW_MS = 6000
const CLOSE_UNAUTHORIZED = 4401

export class WidgetChat {
  private items: ChatItem[] = []
  private socket: ResilientSocket<ContactEvent> | null = null
  private greeting: string
  private starting: Promise<void> | null = null
  private conversationId: string | null = null
  private unread = 0
  private isOpen = false
  private agentTyping = false
  private typingTimer: ReturnType<typeof setTimeout> | null = null
  private lastTypingSent = 0
  private status: ConversationStatus | null = null
  private queue: QueuePositionData | null = null
  private ratings = new Map<string, boolean>()
  private csat: 'hidden' | 'open' | 'sending' | 'done' = 'hidden'
  private ratedConversations = new Set<string>()
  private handoffBusy = false
  private readonly hours: OffHours
  private csatT: Translate

  constructor(
    private readonly shell: Shell,
    private readonly api: WidgetApi,
    private readonly widgetKey: string,
    private readonly locale: Locale,
    private readonly t: Translate,
  ) {
    this.greeting = t('greeting')
    this.csatT = t
    this.hours = new OffHours(shell, api, t, locale, () => this.render())
    shell.launcher.addEventListener('click', () => this.setOpen(!this.isOpen))
    shell.closeButton.addEventListener('click', () => this.setOpen(false))
    shell.form.addEventListener('submit', (e) => {
      e.preventDefault()
      this.submitInput()
    })
    shell.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault()
        this.submitInput()
      }
    })
    shell.input.addEventListener('input', () => this.notifyTyping())
    shell.handoffButton.addEventListener('click', () => void this.askForPerson())
    shell.attachButton.addEventListener('click', () => shell.fileInput.click())
    shell.fileInput.addEventListener('change', () => {
      const files = Array.from(shell.fileInput.files ?? [])
      shell.fileInput.value = ''
      for (const file of files) void this.sendFile(file)
    })
    this.render()
  }

  /** Starts at once for a returning contact, so replies arriving while closed raise the badge. */
  resumeIfKnown(): void {
    if (loadToken(this.widgetKey)) void this.start().catch(() => undefined)
  }

  setOpen(open: boolean): void {
    this.isOpen = open
    this.shell.panel.hidden = !open
    this.shell.launcher.setAttribute('aria-expanded', String(open))
    if (open) {
      this.unread = 0
      void this.start().catch(() => undefined)
      this.render()
      this.shell.input.focus()
    }
    this.renderBadge()
  }

  start(): Promise<void> {
    this.starting ??= this.openSession().catch((err: unknown) => {
      this.starting = null
      this.showBanner(this.t('startFailed'))
      throw err
    })
    return this.starting
  }

  async send(body: string, clientMsgId = newClientMsgId(), attachments: Attachment[] = []): Promise<void> {
    const text = body.trim()
    if (!text && attachments.length === 0) return
    this.items = addPending(this.items, {
      conversation_id: this.conversationId ?? '',
      client_msg_id: clientMsgId,
      body: text,
      private: false,
      sender_type: 'contact',
      sender_id: null,
      attachments,
    })
    this.render()
    try {
      await this.start()
      const message = await this.api.send(clientMsgId, text, attachments.map((a) => a.id))
      this.conversationId = message.conversation_id
      this.receive([message])
    } catch {
      this.items = setDelivery(this.items, clientMsgId, 'failed')
      this.render()
    }
  }

  /** Uploads a file, then sends it as a message of its own. */
  async sendFile(file: File): Promise<void> {
    this.shell.attachButton.disabled = true
    try {
      await this.start()
      const attachment = await this.api.upload(file)
      await this.send('', undefined, [attachment])
    } catch {
      this.showBanner(this.t('uploadFailed'))
      setTimeout(() => this.showBanner(null), 4000)
    } finally {
      this.shell.attachButton.disabled = false
    }
  }

  /** "Talk to a person": leave the bot for the queue. */
  async askForPerson(): Promise<void> {
    if (this.handoffBusy) return
    this.handoffBusy = true
    this.render()
    try {
      await this.start()
      const result = await this.api.handoff()
      this.conversationId = result.conversation_id
      this.setStatus(result.status as ConversationStatus)
      this.notice = this.hours.open ? this.t('handoffSent') : null // closed: the off-hours notice says it
      void this.refreshQueue()
    } catch {
      this.notice = this.t('handoffFailed')
    } finally {
      this.handoffBusy = false
      this.render()
    }
  }

  private notice: string | null = null

  private async rateAnswer(item: ChatItem, helpful: boolean): Promise<void> {
    this.ratings.set(item.id, helpful)
    this.render()
    await this.api.feedback(item.id, helpful).catch(() => undefined)
  }

  private async submitCsat(score: number, comment: string): Promise<void> {
    const conversationId = this.conversationId
    if (!conversationId) return
    this.csat = 'sending'
    try {
      await this.api.rate(conversationId, score, comment)
      this.csat = 'done'
    } catch (err) {
      this.csat = err instanceof ApiError && err.status === 409 ? 'done' : 'open' // 409: already rated
    }
    if (this.csat === 'done') this.ratedConversations.add(conversationId)
    this.render()
  }

  /** `live`: learnt from an event now (a resolution seen on resume does not ask for a rating again). */
  private setStatus(status: ConversationStatus, live = true): void {
    this.status = status
    if (status !== 'queued') this.queue = null
    if (live && status === 'resolved' && this.csat === 'hidden' && !this.ratedConversations.has(this.conversationId ?? '')) {
      this.csat = 'open'
    }
    if (status === 'bot' || status === 'queued' || status === 'assigned') {
      if (this.csat === 'done' || this.csat === 'open') this.csat = 'hidden' // reopened: a new rating later
    }
    if (status !== 'bot') this.notice = status === 'queued' ? this.notice : null
    this.render()
  }

  /** Status and queue place from the server (a resumed session, a reconnect, right after a handoff). */
  private async refreshQueue(): Promise<void> {
    try {
      const q = await this.api.queue()
      if (!q.conversation_id) return
      this.conversationId = q.conversation_id
      if (q.status) this.setStatus(q.status as ConversationStatus, false)
      if (q.status === 'queued' && q.position !== null) {
        this.onQueuePosition({ conversation_id: q.conversation_id, position: q.position, estimated_wait_seconds: q.estimated_wait_seconds })
      }
    } catch {
      // a server without routing: statuses still arrive as events
    }
  }

  private onQueuePosition(data: QueuePositionData): void {
    if (this.conversationId && data.conversation_id !== this.conversationId) return
    this.queue = data
    this.render()
  }

  private async openSession(): Promise<void> {
    const session = await this.api.startSession(loadToken(this.widgetKey))
    saveToken(this.widgetKey, session.contact_token)
    this.conversationId = session.conversation_id
    if (session.inbox) this.applySettings(session.inbox)
    this.hours.apply(session.inbox ?? {})
    this.showBanner(null)
    await this.catchUp()
    this.connect()
  }

  private applySettings(inbox: InboxSettings): void {
    const greeting = inbox.greeting[this.locale] ?? inbox.greeting[this.locale.slice(0, 2)]
    if (greeting) this.greeting = greeting
    this.csatT = withCsatWording(this.t, inbox.csat, this.locale)
    if (/^#[0-9a-f]{3,8}$/i.test(inbox.color)) this.shell.host.style.setProperty('--kefu-accent', inbox.color)
    this.render()
  }

  private connect(): void {
    const handlers: ContactEventHandlers = {
      'message.created': ({ message }) => this.receive([message]),
      'conversation.created': ({ conversation }) => {
        this.conversationId = conversation.id
        this.setStatus(conversation.status)
      },
      'conversation.updated': ({ conversation }) => this.onConversation(conversation.id, conversation.status),
      'conversation.assigned': ({ conversation }) => this.onConversation(conversation.id, conversation.status),
      'queue.position': (data) => this.onQueuePosition(data),
      typing: (data) => this.showTyping(data.sender_type !== 'contact' && data.typing),
      resync_required: () => void this.catchUp().catch(() => undefined),
    }
    this.socket = new ResilientSocket<ContactEvent>({
      url: (lastEventId) => this.api.socketUrl(lastEventId),
      parse: parseContactEvent,
      onEvent: (event) => dispatchEvent(handlers, event),
      onOpen: () => {
        void this.catchUp().catch(() => undefined)
        void this.refreshQueue()
        void this.hours.refresh()
      },
      onClose: (code) => {
        if (code === CLOSE_UNAUTHORIZED) this.restartSession()
      },
      onStatus: (status) => this.showBanner(status === 'waiting' ? this.t('reconnecting') : null),
    })
    this.socket.start()
  }

  private onConversation(id: string, status: ConversationStatus): void {
    if (this.conversationId && id !== this.conversationId) {
      if (status === 'resolved' || status === 'closed') return // an older conversation
      this.conversationId = id // a new conversation replaced the old one
      this.csat = 'hidden'
    }
    this.conversationId ??= id
    this.setStatus(status)
  }

  /** The server no longer accepts our token: forget it and start over. */
  private restartSession(): void {
    this.socket?.stop()
    this.socket = null
    saveToken(this.widgetKey, null)
    this.starting = null
    void this.start().catch(() => undefined)
  }

  /** Fetches every message after the highest seq held, page by page. */
  private async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.api.messagesAfter(maxSeq(this.items))
      this.receive(page)
      if (page.length < 100) return
    }
  }

  private receive(messages: Message[]): void {
    const visible = messages.filter((m) => !m.private)
    if (visible.length === 0) return
    const known = new Set(this.items.map((m) => m.id))
    const fresh = visible.filter((m) => !known.has(m.id) && m.sender_type !== 'contact')
    if (fresh.length > 0) this.showTyping(false)
    if (!this.isOpen) this.unread += fresh.length
    this.conversationId ??= visible[0]!.conversation_id
    this.items = mergeMessages(this.items, visible)
    this.render()
  }

  private submitInput(): void {
    const text = this.shell.input.value
    if (!text.trim()) return
    this.shell.input.value = ''
    void this.send(text).catch(() => undefined)
  }

  private notifyTyping(): void {
    const now = Date.now()
    if (!this.conversationId || now - this.lastTypingSent < TYPING_THROTTLE_MS) return
    this.lastTypingSent = now
    this.socket?.send({ type: 'typing', conversation_id: this.conversationId, typing: true })
  }

  private showTyping(typing: boolean): void {
    if (this.typingTimer) clearTimeout(this.typingTimer)
    this.agentTyping = typing
    if (typing) this.typingTimer = setTimeout(() => this.showTyping(false), TYPING_SHOW_MS)
    this.render()
  }

  private showBanner(text: string | null): void {
    this.shell.banner.hidden = text === null
    this.shell.banner.textContent = text ?? ''
  }

  private render(): void {
    const { list } = this.shell
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40
    const rows: HTMLElement[] = [el('div', 'msg msg--bot greeting', this.greeting)]
    const offerAfter = !this.hours.open ? this.items.map((m) => m.sender_type).lastIndexOf('system') : -1
    this.items.forEach((item, index) => {
      rows.push(
        renderMessage(item, {
          t: this.t,
          showSuggestions: suggestionsVisible(this.items, index),
          onSuggestion: (question) => void this.send(question).catch(() => undefined),
          onRetry: (failed) =>
            void this.send(failed.body, failed.client_msg_id ?? undefined, failed.attachments).catch(() => undefined),
          fileUrl: (url) => this.api.attachmentUrl(url),
          onFeedback: (answer, helpful) => void this.rateAnswer(answer, helpful),
          rated: this.ratings.get(item.id) ?? null,
        }),
      )
      if (index === offerAfter) rows.push(this.hours.offer()) // closed: leave a message, after the notice
    })
    if (this.notice) {
      const note = el('div', 'msg msg--system notice')
      note.append(el('div', 'msg__bubble', this.notice))
      rows.push(note)
    }
    if (this.csat !== 'hidden') {
      rows.push(renderCsat({ t: this.csatT, state: this.csat === 'open' ? 'open' : this.csat, onSubmit: (score, comment) => void this.submitCsat(score, comment) }))
    }
    if (this.agentTyping) {
      const dots = el('div', 'typing', '• • •')
      dots.setAttribute('aria-label', this.t('typing'))
      rows.push(dots)
    }
    list.replaceChildren(...rows)
    if (atBottom) list.scrollTop = list.scrollHeight
    this.renderBadge()
    this.renderQueue()
  }

  private renderQueue(): void {
    const { queue, handoffButton } = this.shell
    const waiting = this.queue !== null && this.status !== 'assigned'
    queue.hidden = !waiting
    queue.textContent = this.queue && waiting ? queueText(this.t, this.queue.position, this.queue.estimated_wait_seconds) : ''
    handoffButton.hidden = !(this.status === null || this.status === 'bot')
    handoffButton.disabled = this.handoffBusy
  }

  /** The conversation's status as last seen (for tests and debugging). */
  get conversationStatus(): ConversationStatus | null {
    return this.status
  }

  private renderBadge(): void {
    const { badge, launcher } = this.shell
    badge.hidden = this.unread === 0
    badge.textContent = this.unread > 9 ? '9+' : String(this.unread)
    launcher.title = this.unread > 0 ? `${this.unread} ${this.t('unread')}` : this.t('open')
  }

  /** Current messages, for tests and debugging. */
  get messages(): readonly ChatItem[] {
    return this.items
  }
}
