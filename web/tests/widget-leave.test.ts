// @vitest-environment happy-dom
/** Widget outside business hours: the leave-a-message form's logic, its DOM, and its place in the chat. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../shared/http'
import type { LeaveBody, LeftTicket } from '../widget/src/api'
import { WidgetApi } from '../widget/src/api'
import { WidgetChat } from '../widget/src/chat'
import { translator } from '../widget/src/i18n'
import { LeaveForm, MAX_MESSAGE, awayText, serverErrors, subjectOf, validateLeave } from '../widget/src/leave'
import { buildShell } from '../widget/src/view'
import { message } from './fixtures'

const t = translator('en')
const zh = translator('zh-CN')
const TICKET: LeftTicket = { id: 't1', number: 12, status: 'new', link: 'https://kefu.test/portal/tickets/abc.def' }

describe('leave-a-message logic', () => {
  it('takes the subject from the first non-empty line, shortened by characters', () => {
    expect(subjectOf('\n\n  Order   A123\tlate \nsecond line')).toBe('Order A123 late')
    const long = '退'.repeat(100)
    expect(Array.from(subjectOf(long))).toHaveLength(80)
    expect(subjectOf(long).endsWith('…')).toBe(true)
    expect(subjectOf('x'.repeat(80))).toBe('x'.repeat(80))
  })

  it('needs a message, checks the email and lengths, and trims what it sends', () => {
    expect(validateLeave({ name: '', email: '', message: '  \n ' })).toEqual({ errors: { message: 'leaveNeedMessage' }, body: null })
    for (const email of ['li', 'li@', '@x.com', 'li@example', 'li lei@example.com', 'li@ex ample.com']) {
      expect(validateLeave({ name: '', email, message: 'hi' }).errors).toEqual({ email: 'leaveBadEmail' })
    }
    const tooLong = validateLeave({ name: 'n'.repeat(201), email: '', message: 'x'.repeat(MAX_MESSAGE + 1) })
    expect(tooLong.errors).toEqual({ name: 'leaveTooLong', message: 'leaveTooLong' })
    expect(tooLong.body).toBeNull()
    expect(validateLeave({ name: '  ', email: ' ', message: ' Call me <b>back</b> \n' })).toEqual({
      errors: {},
      body: { subject: 'Call me <b>back</b>', description: 'Call me <b>back</b>' },
    })
    expect(validateLeave({ name: ' Li Lei ', email: ' li.lei@example.com ', message: '退款\n没到账' }).body).toEqual({
      subject: '退款',
      description: '退款\n没到账',
      name: 'Li Lei',
      email: 'li.lei@example.com',
    })
  })

  it('maps the server’s 422 fields onto the form, and nothing else', () => {
    const invalid = new ApiError(422, 'validation_error', 'x', { fields: [{ field: 'email', reason: 'bad' }, { field: 'description', reason: 'long' }] })
    expect(serverErrors(invalid)).toEqual({ email: 'leaveBadEmail', message: 'leaveTooLong' })
    expect(serverErrors(new ApiError(500, 'internal_error', 'x'))).toEqual({})
    expect(serverErrors(new Error('offline'))).toEqual({})
  })

  it('says the team is away, and when it is back when known', () => {
    expect(awayText(t, 'en', null)).toBe('We are away right now')
    expect(awayText(t, 'en', 'garbage')).toBe('We are away right now')
    expect(awayText(t, 'en', '2026-10-02T01:00:00Z')).toMatch(/^We are away right now · back \S+/)
    expect(awayText(zh, 'zh-CN', '2026-10-02T01:00:00Z')).toMatch(/^客服暂时不在线 · .+恢复服务$/)
  })
})

function fill(form: LeaveForm, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    form.root.querySelector<HTMLInputElement>(`[name=${name}]`)!.value = value
  }
  form.root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }))
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('leave-a-message form', () => {
  it('shows field errors and sends nothing until the input is valid', async () => {
    const send = vi.fn(async (_: LeaveBody) => TICKET)
    const form = new LeaveForm(t, send, () => undefined)
    fill(form, { name: '', email: 'nope', message: ' ' })
    await settle()
    expect(send).not.toHaveBeenCalled()
    const errors = [...form.root.querySelectorAll('.leave__error')].map((e) => e.textContent)
    expect(errors).toEqual([t('leaveNeedMessage'), '', t('leaveBadEmail')])
    expect(form.root.querySelector('[name=email]')!.getAttribute('aria-invalid')).toBe('true')
  })

  it('sends, then confirms with the status link (http only) and the ticket number', async () => {
    const send = vi.fn(async (_: LeaveBody) => TICKET)
    const back = vi.fn()
    const form = new LeaveForm(t, send, back)
    fill(form, { name: '<img src=x onerror=alert(1)>', email: 'li@example.com', message: 'Where is A123?' })
    await settle()
    expect(send).toHaveBeenCalledWith({ subject: 'Where is A123?', description: 'Where is A123?', name: '<img src=x onerror=alert(1)>', email: 'li@example.com' })
    const link = form.root.querySelector<HTMLAnchorElement>('a.leave__link')!
    expect(link.href).toBe(TICKET.link)
    expect(link.rel).toBe('noopener noreferrer')
    expect(form.root.textContent).toContain('(#12)')
    expect(form.root.querySelector('img')).toBeNull()
    form.root.querySelector<HTMLButtonElement>('.leave__back')!.click()
    expect(back).toHaveBeenCalled()

    const evil = new LeaveForm(t, async () => ({ ...TICKET, link: 'javascript:alert(1)' }), () => undefined)
    fill(evil, { message: 'hi' })
    await settle()
    expect(evil.root.textContent).toContain(t('leaveDone').replace('{n}', '12'))
    expect(evil.root.querySelector('a')).toBeNull()
  })

  it('keeps the text and says so when sending fails; a server field error marks the field', async () => {
    let fail: unknown = new ApiError(0, 'network_error', 'offline')
    const form = new LeaveForm(t, async () => { throw fail }, () => undefined)
    fill(form, { email: 'li@example.com', message: 'Please call back' })
    await settle()
    expect(form.root.querySelector('.leave__failure')!.textContent).toBe(t('leaveFailed'))
    expect(form.root.querySelector<HTMLTextAreaElement>('[name=message]')!.value).toBe('Please call back')
    expect(form.root.querySelector<HTMLButtonElement>('.leave__submit')!.disabled).toBe(false)
    fail = new ApiError(422, 'validation_error', 'x', { fields: [{ field: 'email', reason: 'bad' }] })
    fill(form, {})
    await settle()
    expect(form.root.querySelector('.leave__failure')!.textContent).toBe('')
    expect(form.root.querySelector('[name=email]')!.getAttribute('aria-invalid')).toBe('true')
  })
})

// ---- in the chat: closed session, handoff, the offer after the off-hours notice, the form ----

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
let openNow = false

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

async function fakeFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(input)
  const body = init.body ? JSON.parse(String(init.body)) : null
  if (init.method === 'POST') posts.push({ path: url.pathname, body })
  const status = { open_now: openNow, next_open: openNow ? null : '2026-10-02T01:00:00Z' }
  switch (`${init.method ?? 'GET'} ${url.pathname}`) {
    case 'POST /api/v1/widget/sessions':
      return json({ contact_token: 'tok', contact_id: 'ct', conversation_id: null, inbox: { name: 'Site', greeting: {}, color: '#1f6feb', languages: ['en'], ...status } }, 201)
    case 'GET /api/v1/widget/status':
      return json(status)
    case 'GET /api/v1/widget/messages':
      return json({ items: [] })
    case 'POST /api/v1/widget/handoff':
      return json({ conversation_id: 'conv1', status: 'queued' })
    case 'POST /api/v1/widget/tickets':
      return json(TICKET, 201)
    default:
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
  const chat = new WidgetChat(shell, new WidgetApi({ apiBase: 'https://kefu.test', widgetKey: 'wk', locale: 'en' }), 'wk', 'en', t)
  chat.setOpen(true)
  const socket = await until(() => FakeSocket.all[FakeSocket.all.length - 1])
  let id = 0
  const emit = (type: string, data: object) => socket.emit({ id: ++id, type, data })
  return { chat, shell, emit }
}

beforeEach(() => {
  FakeSocket.all = []
  posts = []
  openNow = false
  localStorage.clear()
  vi.stubGlobal('fetch', fakeFetch)
  vi.stubGlobal('WebSocket', FakeSocket)
})
afterEach(() => vi.unstubAllGlobals())

describe('leave a message in the chat', () => {
  it('while closed: header action, no "connecting" promise, the offer after the notice, the form', async () => {
    const { chat, shell, emit } = await openChat()
    expect(shell.leaveButton.hidden).toBe(false)
    expect(shell.subtitle.textContent).toMatch(/^We are away right now · back/)
    shell.handoffButton.click()
    await until(() => chat.conversationStatus === 'queued')
    expect(shell.list.textContent).not.toContain(t('handoffSent'))
    emit('message.created', { message: message({ id: 's1', seq: 1, conversation_id: 'conv1', sender_type: 'system', body: 'We are closed right now.' }) })
    emit('message.created', { message: message({ id: 'c2', seq: 2, conversation_id: 'conv1', sender_type: 'contact', body: 'anyone?' }) })
    const rows = [...shell.list.children].map((r) => r.className)
    expect(rows.indexOf('msg msg--system leave-offer')).toBe(rows.indexOf('msg msg--system msg--sent') + 1)

    shell.list.querySelector<HTMLButtonElement>('.leave-offer button')!.click()
    expect(shell.panel.classList.contains('panel--leave')).toBe(true)
    const form = shell.panel.querySelector<HTMLElement>('.leave')!
    expect(form.hidden).toBe(false)
    form.querySelector<HTMLTextAreaElement>('[name=message]')!.value = 'Please call me back'
    form.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }))
    const link = await until(() => form.querySelector<HTMLAnchorElement>('a.leave__link'))
    expect(link.href).toBe(TICKET.link)
    expect(posts.find((p) => p.path === '/api/v1/widget/tickets')!.body).toEqual({ subject: 'Please call me back', description: 'Please call me back' })
    form.querySelector<HTMLButtonElement>('.leave__back')!.click()
    expect(shell.panel.classList.contains('panel--leave')).toBe(false)
    expect(form.hidden).toBe(true)
    shell.leaveButton.click()
    expect(form.querySelector('a.leave__link')).toBeNull() // a fresh form next time
  })

  it('while open: no header action and no offer after system messages', async () => {
    openNow = true
    const { shell, emit } = await openChat()
    expect(shell.leaveButton.hidden).toBe(true)
    expect(shell.subtitle.textContent).toBe(t('subtitle'))
    emit('message.created', { message: message({ id: 's1', seq: 1, conversation_id: 'conv1', sender_type: 'system', body: 'note' }) })
    expect(shell.list.querySelector('.leave-offer')).toBeNull()
    expect(shell.list.textContent).not.toContain(t('leave'))
  })
})
