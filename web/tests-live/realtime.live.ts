/**
 * End-to-end over the real API: a contact (the widget's controller) and an agent (the console's
 * stores, handler table and socket) talk; the contact's socket drops and comes back with nothing
 * lost or doubled. Needs a server seeded by `kefu demo`.
 */
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connectionStatus, startRealtime, stopRealtime } from '../console/src/realtime/connection'
import { createHandlers } from '../console/src/realtime/handlers'
import { useConversationStore } from '../console/src/stores/conversation'
import { useInboxStore } from '../console/src/stores/inbox'
import { useSessionStore } from '../console/src/stores/session'
import { WidgetApi } from '../widget/src/api'
import { WidgetChat } from '../widget/src/chat'
import { translator } from '../widget/src/i18n'
import { buildShell } from '../widget/src/view'

declare module 'vitest' {
  export interface ProvidedContext {
    liveUrl: string
    widgetKey: string
    agentEmail: string
    password: string
  }
}

const BASE = inject('liveUrl')
const WIDGET_KEY = inject('widgetKey')
const AGENT = inject('agentEmail')
const PASSWORD = inject('password')

async function until<T>(probe: () => T | undefined | null | false, what: string, ms = 8000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = probe()
    if (value) return value
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

function mountWidget(): { chat: WidgetChat; list: HTMLElement } {
  const host = document.createElement('div')
  document.body.append(host)
  const shell = buildShell(host.attachShadow({ mode: 'open' }), '', translator('en'))
  const api = new WidgetApi({ apiBase: BASE, widgetKey: WIDGET_KEY, locale: 'en' })
  const chat = new WidgetChat(shell, api, WIDGET_KEY, 'en', translator('en'))
  return { chat, list: shell.list }
}

describe.skipIf(!WIDGET_KEY)('live: widget ↔ console', () => {
  beforeAll(() => setActivePinia(createPinia()))
  afterAll(() => stopRealtime())

  it('delivers both ways in real time, as text, and resumes without loss or duplicates', async () => {
    const { chat, list } = mountWidget()
    const payload = `<img src=x onerror=alert(1)> hello ${Date.now()}`
    await chat.send(payload)
    const sent = await until(() => chat.messages.find((m) => m.body === payload && m.delivery === 'sent'), 'contact message ack')
    expect(list.querySelector('img')).toBeNull()
    expect(list.textContent).toContain(payload)

    // The agent signs in, finds the conversation and opens it live.
    const session = useSessionStore()
    const inbox = useInboxStore()
    const conversation = useConversationStore()
    await session.login(AGENT, PASSWORD)
    startRealtime(createHandlers({ inbox, conversation }), () => void conversation.catchUp())
    inbox.filter.view = 'all'
    await inbox.load()
    expect(inbox.items.some((c) => c.id === sent.conversation_id)).toBe(true)
    await conversation.open(sent.conversation_id)
    expect(conversation.items.map((m) => m.body)).toContain(payload)
    await conversation.act('assignToMe')
    expect(conversation.current?.assignee_id).toBe(session.me?.id)
    await until(() => connectionStatus.value === 'open', 'agent socket open')

    // Agent → contact (REST send, contact receives over its socket); a private note never reaches it.
    await conversation.send('internal: check the order', true)
    await conversation.send('Hi, how can I help?', false)
    await until(() => chat.messages.find((m) => m.body === 'Hi, how can I help?'), 'agent reply in the widget')
    expect(chat.messages.some((m) => m.body.startsWith('internal:'))).toBe(false)

    // Contact → agent over the agent's socket.
    await chat.send('I need a refund')
    await until(() => conversation.items.find((m) => m.body === 'I need a refund'), 'contact message in the console')

    // The contact's socket drops; the agent writes meanwhile; the widget catches up once.
    const socket = (chat as unknown as { socket: { ws: WebSocket | null; status: string } }).socket
    socket.ws?.close()
    await until(() => socket.status === 'waiting', 'widget socket down')
    await conversation.send('Sent while you were away', false)
    await until(() => chat.messages.find((m) => m.body === 'Sent while you were away'), 'catch-up after reconnect', 15_000)
    const seqs = chat.messages.map((m) => m.seq)
    expect(new Set(chat.messages.map((m) => m.id)).size).toBe(chat.messages.length)
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs)
    expect(conversation.items.filter((m) => m.body === 'I need a refund')).toHaveLength(1)
  })
})
