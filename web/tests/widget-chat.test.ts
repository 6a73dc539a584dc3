// @vitest-environment happy-dom
/**
 * The widget controller against an in-memory fake of the widget API (REST + WebSocket):
 * session resume by token, send, did-you-mean, and a reconnect that neither loses nor doubles.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Message } from '../shared/types'
import { WidgetApi } from '../widget/src/api'
import { WidgetChat } from '../widget/src/chat'
import { translator } from '../widget/src/i18n'
import { buildShell } from '../widget/src/view'
import { message } from './fixtures'

const BASE = 'https://kefu.test'
const KEY = 'wk1'

class FakeSocket {
  static all: FakeSocket[] = []
  readyState = 0
  sent: string[] = []
  onopen: (() => void) | null = null
  onmessage: ((e: { data: string }) => void) | null = null
  onclose: ((e: { code: number }) => void) | null = null
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
    queueMicrotask(() => this.onopen?.())
  }
  send(data: string) {
    this.sent.push(data)
  }
  close() {
    this.onclose?.({ code: 1000 })
  }
  emit(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) })
  }
}

/** In-memory server: one conversation, a durable event log, sessions keyed by token. */
class FakeServer {
  messages: Message[] = []
  eventId = 0
  sessions: unknown[] = []
  live = (): FakeSocket | undefined => FakeSocket.all[FakeSocket.all.length - 1]

  add(partial: Partial<Message>): Message {
    const seq = this.messages.length + 1
    const m = message({ id: `m${seq}`, seq, conversation_id: 'conv1', ...partial })
    this.messages.push(m)
    this.eventId += 1
    this.live()?.emit({ id: this.eventId, type: 'message.created', data: { message: m } })
    return m
  }

  fetch = async (input: string, init?: RequestInit): Promise<Response> => {
    const url = new URL(input)
    const json = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
    const body = init?.body ? JSON.parse(String(init.body)) : null
    if (url.pathname === '/api/v1/widget/sessions') {
      this.sessions.push(body)
      return json({
        contact_token: 'tok-1',
        contact_id: 'ct1',
        conversation_id: null,
        inbox: { name: 'Shop', greeting: { en: 'Welcome to Shop!' }, color: '#ff5500', languages: ['en'] },
      }, 201)
    }
    if (url.pathname === '/api/v1/widget/messages' && init?.method === 'POST') {
      const found = this.messages.find((m) => m.client_msg_id === body.client_msg_id)
      return json(found ?? this.add({ body: body.body, client_msg_id: body.client_msg_id }), found ? 200 : 201)
    }
    if (url.pathname === '/api/v1/widget/messages') {
      const after = Number(url.searchParams.get('after_seq'))
      return json({ items: this.messages.filter((m) => m.seq > after) })
    }
    return json({ code: 'not_found', message: 'no' }, 404)
  }
}

async function until<T>(probe: () => T | undefined | null | false, ms = 3000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = probe()
    if (value) return value
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

function mountChat() {
  const host = document.createElement('div')
  document.body.append(host)
  const shell = buildShell(host.attachShadow({ mode: 'open' }), '', translator('en'))
  const chat = new WidgetChat(shell, new WidgetApi({ apiBase: BASE, widgetKey: KEY, locale: 'en' }), KEY, 'en', translator('en'))
  return { chat, shell, host }
}

let server: FakeServer
beforeEach(() => {
  FakeSocket.all = []
  localStorage.clear()
  server = new FakeServer()
  vi.stubGlobal('fetch', server.fetch)
  vi.stubGlobal('WebSocket', FakeSocket)
})
afterEach(() => vi.unstubAllGlobals())

describe('widget chat', () => {
  it('starts a session on open, keeps the token per widget key and applies the inbox settings', async () => {
    const { chat, shell, host } = mountChat()
    chat.setOpen(true)
    await until(() => FakeSocket.all.length === 1)
    expect(localStorage.getItem('kefu:widget:wk1:contact_token')).toBe('tok-1')
    expect(server.sessions[0]).toEqual({ widget_key: KEY, locale: 'en' })
    expect(FakeSocket.all[0]!.url).toBe('wss://kefu.test/api/v1/widget/ws?token=tok-1')
    expect(shell.list.textContent).toContain('Welcome to Shop!')
    expect(host.style.getPropertyValue('--kefu-accent')).toBe('#ff5500')

    // A returning contact resumes with its token.
    mountChat().chat.resumeIfKnown()
    await until(() => server.sessions.length === 2)
    expect(server.sessions[1]).toEqual({ widget_key: KEY, locale: 'en', contact_token: 'tok-1' })
    await until(() => FakeSocket.all.length === 2) // let it finish here, not in the next test
  })

  it('sends once even though the message also arrives over the socket', async () => {
    const { chat, shell } = mountChat()
    chat.setOpen(true)
    await until(() => FakeSocket.all.length === 1)
    shell.input.value = 'hello <b>there</b>'
    shell.form.dispatchEvent(new Event('submit', { cancelable: true }))
    await until(() => chat.messages.find((m) => m.delivery === 'sent'))
    expect(chat.messages).toHaveLength(1)
    expect(shell.list.querySelector('b')).toBeNull()
    expect(shell.input.value).toBe('')
  })

  it('offers did-you-mean buttons that send the question text', async () => {
    const { chat, shell } = mountChat()
    chat.setOpen(true)
    await until(() => FakeSocket.all.length === 1)
    server.add({ sender_type: 'bot', body: 'Did you mean…', suggestions: [{ faq_id: 'f1', question: 'Refund policy' }] })
    const button = await until(() => shell.list.querySelector<HTMLButtonElement>('button.chip'))
    button.click()
    await until(() => chat.messages.find((m) => m.sender_type === 'contact' && m.delivery === 'sent'))
    expect(server.messages.map((m) => m.body)).toEqual(['Did you mean…', 'Refund policy'])
    expect(shell.list.querySelector('button.chip')).toBeNull() // the contact answered: suggestions retire
  })

  it('resumes after a dropped socket with nothing lost and nothing doubled', async () => {
    const { chat } = mountChat()
    chat.setOpen(true)
    await until(() => FakeSocket.all.length === 1)
    server.add({ sender_type: 'bot', body: 'one' })
    server.add({ sender_type: 'bot', body: 'two' })
    FakeSocket.all[0]!.close()
    const missed = message({ id: 'm3', seq: 3, conversation_id: 'conv1', sender_type: 'agent', body: 'three' })
    server.messages.push(missed) // published while the contact was away
    server.eventId += 1

    const second = await until(() => FakeSocket.all[1], 3000)
    expect(second.url).toContain('last_event_id=2')
    second.emit({ id: 3, type: 'message.created', data: { message: missed } }) // the gateway replays it too
    second.emit({ id: 3, type: 'message.created', data: { message: missed } })
    second.emit({ id: 4, type: 'conversation.updated', data: { conversation: { id: 'conv1', status: 'assigned' } } })
    await until(() => chat.messages.length === 3)
    await new Promise((r) => setTimeout(r, 50))
    expect(chat.messages.map((m) => [m.seq, m.body])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ])
  })

  it('counts unread replies while closed and hides private messages', async () => {
    const { chat, shell } = mountChat()
    chat.setOpen(true)
    await until(() => FakeSocket.all.length === 1)
    chat.setOpen(false)
    server.add({ sender_type: 'agent', body: 'reply' })
    server.add({ sender_type: 'agent', body: 'note', private: true })
    expect(shell.badge.hidden).toBe(false)
    expect(shell.badge.textContent).toBe('1')
    expect(chat.messages.map((m) => m.body)).toEqual(['reply'])
    chat.setOpen(true)
    expect(shell.badge.hidden).toBe(true)
  })
})
