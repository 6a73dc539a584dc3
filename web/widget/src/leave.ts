/**
 * Outside business hours: the "Leave a message" action (in the header, and right after the
 * off-hours notice), its small form (name, email, message) posted to `POST /widget/tickets`, and the
 * confirmation with the link to the ticket's status page. Validation is pure (unit-tested); the DOM is
 * built with textContent only, and the status link must be http(s).
 */
import { ApiError } from '../../shared/http'
import { safeUrl } from '../../shared/text'
import type { Locale } from '../../shared/types'
import type { LeaveBody, LeftTicket, ServiceStatus, WidgetApi } from './api'
import type { Translate, WidgetKey } from './i18n'
import { el, type Shell } from './view'

export interface LeaveFields {
  name: string
  email: string
  message: string
}

export type LeaveErrors = Partial<Record<keyof LeaveFields, WidgetKey>>

export const MAX_NAME = 200
export const MAX_EMAIL = 320
export const MAX_MESSAGE = 20_000
export const MAX_SUBJECT = 80 // the server takes 300; a subject is a line, not a paragraph
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/
const REFRESH_LIMIT_MS = 24 * 3600 * 1000 // setTimeout is unreliable over long spans

/** The ticket's subject: the message's first non-empty line, whitespace collapsed, shortened. */
export function subjectOf(message: string): string {
  const line = message
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .find((l) => l.length > 0)
  const chars = Array.from(line ?? '')
  return chars.length > MAX_SUBJECT ? `${chars.slice(0, MAX_SUBJECT - 1).join('')}…` : chars.join('')
}

/** The form's fields → the request body, or the message key of each field in error. */
export function validateLeave(fields: LeaveFields): { errors: LeaveErrors; body: LeaveBody | null } {
  const name = fields.name.trim()
  const email = fields.email.trim()
  const message = fields.message.trim()
  const errors: LeaveErrors = {}
  if (!message) errors.message = 'leaveNeedMessage'
  else if (message.length > MAX_MESSAGE) errors.message = 'leaveTooLong'
  if (email && (email.length > MAX_EMAIL || !EMAIL.test(email))) errors.email = 'leaveBadEmail'
  if (name.length > MAX_NAME) errors.name = 'leaveTooLong'
  if (Object.keys(errors).length > 0) return { errors, body: null }
  const body: LeaveBody = { subject: subjectOf(message), description: message }
  if (name) body.name = name
  if (email) body.email = email
  return { errors, body }
}

/** A 422's `fields` mapped onto the form (the server's e-mail check is stricter than ours). */
export function serverErrors(err: unknown): LeaveErrors {
  const fields = err instanceof ApiError && err.status === 422 ? (err.payload as { fields?: unknown })?.fields : null
  const errors: LeaveErrors = {}
  for (const f of Array.isArray(fields) ? fields : []) {
    const field = String((f as { field?: unknown }).field ?? '')
    if (field === 'email') errors.email = 'leaveBadEmail'
    else if (field === 'name') errors.name = 'leaveTooLong'
    else if (field === 'description' || field === 'subject') errors.message = 'leaveTooLong'
  }
  return errors
}

/** "We are away right now · back Mon 09:00" (the opening in the contact's own time zone). */
export function awayText(t: Translate, locale: Locale, nextOpen: string | null): string {
  const at = nextOpen ? new Date(nextOpen) : null
  if (!at || Number.isNaN(at.getTime())) return t('away')
  const time = new Intl.DateTimeFormat(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(at)
  return `${t('away')} · ${t('awayUntil').replace('{time}', time)}`
}

function field(t: Translate, key: WidgetKey, input: HTMLInputElement | HTMLTextAreaElement): HTMLElement {
  const label = el('label', 'leave__field')
  label.append(el('span', 'leave__label', t(key)), input, el('span', 'leave__error'))
  return label
}

/** The form, then its confirmation; one DOM kept across renders so typed text survives. */
export class LeaveForm {
  readonly root = el('section', 'leave')
  private readonly inputs: Record<keyof LeaveFields, HTMLInputElement | HTMLTextAreaElement>
  private readonly form = el('form', 'leave__form')
  private readonly submit: HTMLButtonElement
  private readonly failure = el('div', 'leave__failure')

  constructor(
    private readonly t: Translate,
    private readonly send: (body: LeaveBody) => Promise<LeftTicket>,
    private readonly back: () => void,
  ) {
    this.root.hidden = true
    this.root.setAttribute('aria-label', t('leaveTitle'))
    const name = el('input', 'leave__input')
    name.name = 'name'
    name.autocomplete = 'name'
    name.maxLength = MAX_NAME
    const email = el('input', 'leave__input')
    email.name = 'email'
    email.type = 'email'
    email.autocomplete = 'email'
    email.maxLength = MAX_EMAIL
    const message = el('textarea', 'leave__input')
    message.name = 'message'
    message.rows = 4
    message.maxLength = MAX_MESSAGE
    this.inputs = { name, email, message }
    this.submit = el('button', 'leave__submit', t('leaveSubmit'))
    this.submit.type = 'submit'
    this.failure.setAttribute('role', 'alert')
    this.form.noValidate = true // our own messages, in the widget's language
    this.form.append(field(t, 'leaveMessage', message), field(t, 'leaveName', name), field(t, 'leaveEmail', email))
    this.form.append(this.failure, this.submit, this.backButton())
    this.form.addEventListener('submit', (e) => {
      e.preventDefault()
      void this.post()
    })
    this.reset()
  }

  /** A fresh form (after a confirmation, the next opening starts empty). */
  reset(): void {
    this.root.replaceChildren(el('div', 'leave__title', this.t('leaveTitle')), el('p', 'leave__intro', this.t('leaveIntro')), this.form)
    for (const input of Object.values(this.inputs)) input.value = ''
    this.showErrors({})
    this.failure.textContent = ''
    this.submit.disabled = false
  }

  focus(): void {
    this.inputs.message.focus()
  }

  private backButton(): HTMLButtonElement {
    const back = el('button', 'leave__back link', this.t('leaveBack'))
    back.type = 'button'
    back.addEventListener('click', () => this.back())
    return back
  }

  private showErrors(errors: LeaveErrors): void {
    for (const [key, input] of Object.entries(this.inputs) as [keyof LeaveFields, HTMLInputElement][]) {
      const message = errors[key]
      input.setAttribute('aria-invalid', String(Boolean(message)))
      const slot = input.nextElementSibling
      if (slot) slot.textContent = message ? this.t(message) : ''
    }
  }

  private async post(): Promise<void> {
    const { errors, body } = validateLeave({
      name: this.inputs.name.value,
      email: this.inputs.email.value,
      message: this.inputs.message.value,
    })
    this.showErrors(errors)
    this.failure.textContent = ''
    if (!body || this.submit.disabled) return
    this.submit.disabled = true
    try {
      this.done(await this.send(body))
    } catch (err) {
      const fieldErrors = serverErrors(err)
      this.showErrors(fieldErrors)
      if (Object.keys(fieldErrors).length === 0) this.failure.textContent = this.t('leaveFailed')
      this.submit.disabled = false
    }
  }

  private done(ticket: LeftTicket): void {
    const box = el('div', 'leave__done')
    box.setAttribute('role', 'status')
    box.append(el('p', '', this.t('leaveDone').replace('{n}', String(ticket.number))))
    const href = safeUrl(ticket.link)
    if (href) {
      const link = el('a', 'leave__link', this.t('leaveLink'))
      link.href = href
      link.target = '_blank'
      link.rel = 'noopener noreferrer'
      box.append(link)
    }
    box.append(this.backButton())
    this.root.replaceChildren(el('div', 'leave__title', this.t('leaveTitle')), box)
  }
}

/** Open / closed from the session and `GET /widget/status`; shows the header action and the form. */
export class OffHours {
  open = true
  private nextOpen: string | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  readonly form: LeaveForm

  constructor(
    private readonly shell: Shell,
    private readonly api: WidgetApi,
    private readonly t: Translate,
    private readonly locale: Locale,
    private readonly changed: () => void,
  ) {
    this.form = new LeaveForm(t, (body) => api.leaveMessage(body), () => this.show(false))
    shell.panel.insertBefore(this.form.root, shell.form)
    shell.leaveButton.addEventListener('click', () => this.show(true))
  }

  apply(status: Partial<ServiceStatus>): void {
    this.open = status.open_now ?? true
    this.nextOpen = status.next_open ?? null
    this.shell.leaveButton.hidden = this.open
    this.shell.subtitle.textContent = this.open ? this.t('subtitle') : awayText(this.t, this.locale, this.nextOpen)
    if (this.timer) clearTimeout(this.timer)
    const wait = this.nextOpen ? new Date(this.nextOpen).getTime() - Date.now() : NaN
    if (!this.open && wait > 0 && wait < REFRESH_LIMIT_MS) this.timer = setTimeout(() => void this.refresh(), wait + 1000)
    this.changed()
  }

  async refresh(): Promise<void> {
    try {
      this.apply(await this.api.status())
    } catch {
      // an older server or a blip: keep what the session said
    }
  }

  /** The form in place of the conversation, or back to the conversation. */
  show(visible: boolean): void {
    if (visible && this.form.root.hidden) this.form.reset()
    this.form.root.hidden = !visible
    this.shell.panel.classList.toggle('panel--leave', visible)
    if (visible) this.form.focus()
  }

  /** The action offered in the conversation, right after the off-hours notice. */
  offer(): HTMLElement {
    const row = el('div', 'msg msg--system leave-offer')
    const button = el('button', 'chip', `✉ ${this.t('leave')}`)
    button.type = 'button'
    button.addEventListener('click', () => this.show(true))
    row.append(button)
    return row
  }
}
