/**
 * The widget's controller: session, message list, sending over REST and receiving over WebSocket.
 * After every (re)connect it fetches messages after the highest seq it holds, so nothing is lost;
 * merging by id / client_msg_id means nothing shows twice.
 */
import { dispatchEvent, parseContactEvent, type ContactEvent, type ContactEventHandlers } from '../../shared/events'
import { addPending, maxSeq, mergeMessages, setDelivery, type ChatItem } from '../../shared/merge'
import { ResilientSocket } from '../../shared/socket'
import { newClientMsgId } from '../../shared/text'
import type { Locale, Message } from '../../shared/types'
import { loadToken, saveToken, type InboxSettings, type WidgetApi } from './api'
import type { Translate } from './i18n'
import { el, renderMessage, suggestionsVisible, type Shell } from './view'

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

  constructor(
    private readonly shell: Shell,
    private readonly api: WidgetApi,
    private readonly widgetKey: string,
    private readonly locale: Locale,
    private readonly t: Translate,
  ) {
    this.greeting = t('greeting')
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

  async send(body: string, clientMsgId = newClientMsgId()): Promise<void> {
    const text = body.trim()
    if (!text) return
    this.items = addPending(this.items, {
      conversation_id: this.conversationId ?? '',
      client_msg_id: clientMsgId,
      body: text,
      private: false,
      sender_type: 'contact',
      sender_id: null,
    })
    this.render()
    try {
      await this.start()
      const message = await this.api.send(clientMsgId, text)
      this.conversationId = message.conversation_id
      this.receive([message])
    } catch {
      this.items = setDelivery(this.items, clientMsgId, 'failed')
      this.render()
    }
  }

  private async openSession(): Promise<void> {
    const session = await this.api.startSession(loadToken(this.widgetKey))
    saveToken(this.widgetKey, session.contact_token)
    this.conversationId = session.conversation_id
    if (session.inbox) this.applySettings(session.inbox)
    this.showBanner(null)
    await this.catchUp()
    this.connect()
  }

  private applySettings(inbox: InboxSettings): void {
    const greeting = inbox.greeting[this.locale] ?? inbox.greeting[this.locale.slice(0, 2)]
    if (greeting) this.greeting = greeting
    if (/^#[0-9a-f]{3,8}$/i.test(inbox.color)) this.shell.host.style.setProperty('--kefu-accent', inbox.color)
    this.render()
  }

  private connect(): void {
    const handlers: ContactEventHandlers = {
      'message.created': ({ message }) => this.receive([message]),
      'conversation.created': ({ conversation }) => (this.conversationId = conversation.id),
      'conversation.updated': () => undefined,
      'conversation.assigned': () => undefined,
      typing: (data) => this.showTyping(data.sender_type !== 'contact' && data.typing),
      resync_required: () => void this.catchUp().catch(() => undefined),
    }
    this.socket = new ResilientSocket<ContactEvent>({
      url: (lastEventId) => this.api.socketUrl(lastEventId),
      parse: parseContactEvent,
      onEvent: (event) => dispatchEvent(handlers, event),
      onOpen: () => void this.catchUp().catch(() => undefined),
      onClose: (code) => {
        if (code === CLOSE_UNAUTHORIZED) this.restartSession()
      },
      onStatus: (status) => this.showBanner(status === 'waiting' ? this.t('reconnecting') : null),
    })
    this.socket.start()
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
    this.items.forEach((item, index) => {
      rows.push(
        renderMessage(item, {
          t: this.t,
          showSuggestions: suggestionsVisible(this.items, index),
          onSuggestion: (question) => void this.send(question).catch(() => undefined),
          onRetry: (failed) => void this.send(failed.body, failed.client_msg_id ?? undefined).catch(() => undefined),
        }),
      )
    })
    if (this.agentTyping) {
      const dots = el('div', 'typing', '• • •')
      dots.setAttribute('aria-label', this.t('typing'))
      rows.push(dots)
    }
    list.replaceChildren(...rows)
    if (atBottom) list.scrollTop = list.scrollHeight
    this.renderBadge()
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
