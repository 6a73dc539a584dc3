// @vitest-environment happy-dom
/** Widget: talk to a person, queue position, attachments, answer feedback and the satisfaction form. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { parseContactEvent } from '../shared/events'
import { mergeMessages } from '../shared/merge'
import { WidgetApi } from '../widget/src/api'
import { WidgetChat } from '../widget/src/chat'
import { translator } from '../widget/src/i18n'
import { buildShell, queueText, renderMessage, richText } from '../widget/src/view'
import { message } from './fixtures'

const BASE = 'https://kefu.test'
const t = translator('en')

class FakeSocket {
  static all: FakeSocket[] = []
  onopen: (() => void) | null = null
  onmessage: ((e: { data: string }) => void) | null = null
  onclose: ((e: { code: number }) => void) | null = null
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
    queueMicrotask(() => this.onopen?.())
  }
  send() {}
  close() {}
  emit(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) })
  }
}

let posts: { path: string; body: unknown }[] = []
let csatStatus = 201
let eventId = 0

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

async function fakeFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(input)
  const body = init.body instanceof FormData ? 'form' : init.body ? JSON.parse(String(init.body)) : null
  if (init.method === 'POST') posts.push({ path: url.pathname, body })
  switch (`${init.method ?? 'GET'} ${url.pathname}`) {
    case 'POST /api/v1/widget/sessions':
      return json({ contact_token: 'tok', contact_id: 'ct', conversation_id: 'conv1' }, 201)
    case 'GET /api/v1/widget/messages':
      return json({ items: [] })
    case 'POST /api/v1/widget/handoff':
      return json({ conversation_id: 'conv1', status: 'queued' })
    case 'POST /api/v1/widget/attachments':
      return json({ id: 'a1', filename: 'photo.png', content_type: 'image/png', size: 10, url: '/api/v1/attachments/a1' }, 201)
    case 'POST /api/v1/widget/messages':
      return json(message({ id: 'm9', seq: 9, conversation_id: 'conv1', body: '', client_msg_id: (body as { client_msg_id: string }).client_msg_id, attachments: [{ id: 'a1', filename: 'photo.png', content_type: 'image/png', size: 10, url: '/api/v1/attachments/a1' }] }), 201)
    case 'POST /api/v1/widget/csat':
      return csatStatus === 409 ? json({ code: 'already_rated', message: 'x' }, 409) : json({ score: 5 }, 201)
    default:
      if (url.pathname.endsWith('/feedback')) return new Response(null, { status: 204 })
      return json({ code: 'not_found' }, 404)
  }
}

async function until<T>(probe: () => T | undefined | null | false, ms = 2000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = probe()
    if (value) return value
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

async function openChat() {
  const host = document.createElement('div')
  document.body.append(host)
  const shell = buildShell(host.attachShadow({ mode: 'open' }), '', t)
  const chat = new WidgetChat(shell, new WidgetApi({ apiBase: BASE, widgetKey: 'wk', locale: 'en' }), 'wk', 'en', t)
  chat.setOpen(true)
  const socket = await until(() => FakeSocket.all[FakeSocket.all.length - 1])
  const emit = (type: string, data: object) => socket.emit({ id: ++eventId, type, data })
  return { chat, shell, emit }
}

beforeEach(() => {
  FakeSocket.all = []
  posts = []
  csatStatus = 201
  localStorage.clear()
  vi.stubGlobal('fetch', fakeFetch)
  vi.stubGlobal('WebSocket', FakeSocket)
})
afterEach(() => vi.unstubAllGlobals())

describe('widget features', () => {
  it('asks for a person, then shows the queue position until an agent takes it', async () => {
    const { chat, shell, emit } = await openChat()
    expect(shell.handoffButton.hidden).toBe(false)
    shell.handoffButton.click()
    await until(() => chat.conversationStatus === 'queued')
    expect(posts.map((p) => p.path)).toContain('/api/v1/widget/handoff')
    expect(shell.handoffButton.hidden).toBe(true)
    expect(shell.list.textContent).toContain(t('handoffSent'))

    emit('queue.position', { conversation_id: 'conv1', position: 3, estimated_wait_seconds: 150 })
    expect(shell.queue.hidden).toBe(false)
    expect(shell.queue.textContent).toBe('You are number 3 in line · about 3 min')
    emit('conversation.assigned', { conversation: { id: 'conv1', status: 'assigned' } })
    expect(shell.queue.hidden).toBe(true)
  })

  it('shows the satisfaction form when resolved, sends it once, and treats 409 as already rated', async () => {
    const { shell, emit } = await openChat()
    emit('conversation.updated', { conversation: { id: 'conv1', status: 'resolved' } })
    const form = shell.list.querySelector<HTMLFormElement>('form.csat')!
    expect(form).not.toBeNull()
    const submit = form.querySelector<HTMLButtonElement>('.csat__submit')!
    expect(submit.disabled).toBe(true)
    form.querySelector<HTMLButtonElement>('[data-score="4"]')!.click()
    form.querySelector('textarea')!.value = ' <b>great</b> '
    csatStatus = 409
    form.dispatchEvent(new Event('submit', { cancelable: true }))
    await until(() => shell.list.textContent?.includes(t('csatThanks')))
    expect(posts.find((p) => p.path === '/api/v1/widget/csat')!.body).toEqual({ conversation_id: 'conv1', score: 4, comment: '<b>great</b>' })
    emit('conversation.updated', { conversation: { id: 'conv1', status: 'resolved' } })
    expect(shell.list.querySelector('.csat__stars')).toBeNull() // not asked twice
  })

  it('uploads a file and sends it; the link opens through the widget path with the contact token', async () => {
    const { chat, shell } = await openChat()
    await chat.sendFile(new File(['x'], 'photo.png', { type: 'image/png' }))
    const link = await until(() => shell.list.querySelector<HTMLAnchorElement>('a.msg__file'))
    expect(link.href).toBe('https://kefu.test/api/v1/widget/attachments/a1?token=tok')
    expect(link.rel).toBe('noopener noreferrer')
    expect(posts.find((p) => p.path === '/api/v1/widget/messages')!.body).toMatchObject({ attachment_ids: ['a1'] })
  })

  it('asks whether a bot answer helped and records the choice', async () => {
    const { shell, emit } = await openChat()
    emit('message.created', { message: message({ id: 'b1', seq: 1, conversation_id: 'conv1', sender_type: 'bot', body: 'Refunds take **3 days**.' }) })
    const bubble = shell.list.querySelector('.msg--bot .msg__bubble')!
    expect(bubble.querySelector('strong')?.textContent).toBe('3 days')
    shell.list.querySelector<HTMLButtonElement>('[data-helpful="false"]')!.click()
    await until(() => posts.some((p) => p.path === '/api/v1/widget/messages/b1/feedback'))
    expect(posts.find((p) => p.path.endsWith('/feedback'))!.body).toEqual({ helpful: false })
    expect(shell.list.textContent).toContain(t('feedbackThanks'))
  })
})

describe('widget view helpers', () => {
  it('bold runs of bot answers are elements holding text only', () => {
    const box = document.createElement('div')
    box.append(richText('**<img src=x onerror=alert(1)>** and <b>x</b>'))
    expect(box.querySelector('img, b')).toBeNull()
    expect(box.querySelector('strong')!.textContent).toBe('<img src=x onerror=alert(1)>')
  })
  it('no feedback buttons on did-you-mean lists or contact messages', () => {
    const actions = { t, showSuggestions: true, onSuggestion: vi.fn(), onRetry: vi.fn(), onFeedback: vi.fn() }
    const clarify = mergeMessages([], [message({ sender_type: 'bot', suggestions: [{ faq_id: 'f', question: 'q' }] })])[0]!
    expect(renderMessage(clarify, actions).querySelector('.feedback')).toBeNull()
    expect(renderMessage(mergeMessages([], [message()])[0]!, actions).querySelector('.feedback')).toBeNull()
  })
  it('queue text without an estimate, and the queue.position event guard', () => {
    expect(queueText(t, 1, null)).toBe('You are number 1 in line')
    expect(parseContactEvent({ id: 1, type: 'queue.position', data: { conversation_id: 'c', position: 2, estimated_wait_seconds: null } })).not.toBeNull()
    expect(parseContactEvent({ id: 1, type: 'queue.position', data: { conversation_id: 'c', position: -1 } })).toBeNull()
  })
})
