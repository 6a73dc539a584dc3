/**
 * DOM building for the widget. User content is only ever assigned through `textContent` or
 * attribute setters (never innerHTML), so an HTML payload shows literally.
 */
import type { ChatItem } from '../../shared/merge'
import { formatSize, safeUrl, splitBold } from '../../shared/text'
import type { Translate } from './i18n'

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

export interface MessageActions {
  t: Translate
  showSuggestions: boolean
  onSuggestion: (question: string) => void
  onRetry: (item: ChatItem) => void
  /** Where an attachment opens for the contact (token-bearing widget URL). */
  fileUrl?: (url: string) => string
  /** Helpful / not helpful on bot answers; `rated` is the choice already made. */
  onFeedback?: (item: ChatItem, helpful: boolean) => void
  rated?: boolean | null
}

/** Bot answers use `**bold**`: bold runs become <strong> elements holding text, everything else stays text. */
export function richText(text: string): DocumentFragment {
  const out = document.createDocumentFragment()
  for (const run of splitBold(text)) out.append(run.bold ? el('strong', '', run.text) : document.createTextNode(run.text))
  return out
}

/** A bot reply that answers (not a did-you-mean list): the contact may say whether it helped. */
export function isBotAnswer(item: ChatItem): boolean {
  return item.sender_type === 'bot' && item.delivery === 'sent' && item.suggestions.length === 0
}

export function renderMessage(item: ChatItem, actions: MessageActions): HTMLElement {
  const { t } = actions
  const row = el('div', `msg msg--${item.sender_type} msg--${item.delivery}`)
  row.dataset.seq = String(item.seq)
  if (item.sender_type !== 'contact') row.append(el('div', 'msg__sender', t(item.sender_type)))
  const bubble = el('div', 'msg__bubble')
  if (item.sender_type === 'bot') bubble.append(richText(item.body))
  else bubble.textContent = item.body
  if (item.body || item.attachments.length === 0) row.append(bubble)
  for (const file of item.attachments) {
    const href = safeUrl(actions.fileUrl ? actions.fileUrl(file.url) : file.url)
    const label = `📎 ${file.filename} (${formatSize(file.size)})`
    if (!href) continue
    const link = el('a', 'msg__file', label)
    link.href = href
    link.target = '_blank'
    link.rel = 'noopener noreferrer'
    row.append(link)
  }
  if (actions.showSuggestions && item.suggestions.length > 0) row.append(renderSuggestions(item, actions))
  if (item.delivery !== 'sent') row.append(renderDelivery(item, actions))
  if (actions.onFeedback && isBotAnswer(item)) row.append(renderFeedback(item, actions))
  return row
}

function renderFeedback(item: ChatItem, actions: MessageActions): HTMLElement {
  const box = el('div', 'feedback')
  if (actions.rated !== null && actions.rated !== undefined) {
    box.append(el('span', 'msg__hint', actions.t('feedbackThanks')))
    return box
  }
  box.append(el('span', 'msg__hint', actions.t('helpful')))
  for (const [helpful, label, icon] of [[true, 'yes', '👍'], [false, 'no', '👎']] as const) {
    const button = el('button', 'feedback__btn', icon)
    button.type = 'button'
    button.setAttribute('aria-label', actions.t(label))
    button.dataset.helpful = String(helpful)
    button.addEventListener('click', () => actions.onFeedback?.(item, helpful))
    box.append(button)
  }
  return box
}

export interface CsatActions {
  t: Translate
  state: 'open' | 'sending' | 'done'
  onSubmit: (score: number, comment: string) => void
}

/** The satisfaction form shown once the conversation is resolved: 1–5 stars and an optional comment. */
export function renderCsat(actions: CsatActions): HTMLElement {
  const { t } = actions
  const box = el('form', 'csat')
  box.setAttribute('aria-label', t('csatTitle'))
  if (actions.state === 'done') {
    box.append(el('div', 'csat__title', t('csatThanks')))
    return box
  }
  box.append(el('div', 'csat__title', t('csatTitle')))
  let score = 0
  const stars = el('div', 'csat__stars')
  stars.setAttribute('role', 'radiogroup')
  const submit = el('button', 'csat__submit', t('csatSubmit'))
  submit.type = 'submit'
  submit.disabled = true
  const paint = (): void =>
    stars.querySelectorAll('button').forEach((b, i) => {
      b.classList.toggle('on', i < score)
      b.setAttribute('aria-checked', String(i + 1 === score))
    })
  for (let n = 1; n <= 5; n++) {
    const star = el('button', 'csat__star', '★')
    star.type = 'button'
    star.setAttribute('role', 'radio')
    star.setAttribute('aria-label', `${n} / 5`)
    star.dataset.score = String(n)
    star.addEventListener('click', () => {
      score = n
      submit.disabled = actions.state !== 'open'
      paint()
    })
    stars.append(star)
  }
  const comment = el('textarea', 'csat__comment')
  comment.rows = 2
  comment.maxLength = 2000
  comment.placeholder = t('csatComment')
  comment.setAttribute('aria-label', t('csatComment'))
  box.addEventListener('submit', (e) => {
    e.preventDefault()
    if (score > 0 && actions.state === 'open') actions.onSubmit(score, comment.value.trim())
  })
  box.append(stars, comment, submit)
  return box
}

/** "You are number 3 in line · about 2 min" (the wait only when the server estimates one). */
export function queueText(t: Translate, position: number, waitSeconds: number | null): string {
  const place = t('queuePosition').replace('{n}', String(position))
  if (waitSeconds === null || waitSeconds <= 0) return place
  const minutes = Math.max(1, Math.round(waitSeconds / 60))
  return `${place} · ${t('queueWait').replace('{m}', String(minutes))}`
}

function renderSuggestions(item: ChatItem, actions: MessageActions): HTMLElement {
  const box = el('div', 'msg__suggestions')
  box.append(el('div', 'msg__hint', actions.t('didYouMean')))
  for (const s of item.suggestions) {
    const button = el('button', 'chip', s.question)
    button.type = 'button'
    button.addEventListener('click', () => actions.onSuggestion(s.question))
    box.append(button)
  }
  return box
}

function renderDelivery(item: ChatItem, actions: MessageActions): HTMLElement {
  const status = el('div', 'msg__status')
  if (item.delivery === 'pending') {
    status.textContent = actions.t('sending')
    return status
  }
  status.textContent = `${actions.t('failed')} · `
  const retry = el('button', 'link', actions.t('retry'))
  retry.type = 'button'
  retry.addEventListener('click', () => actions.onRetry(item))
  status.append(retry)
  return status
}

/** Suggestions stay clickable until the contact writes again. */
export function suggestionsVisible(items: readonly ChatItem[], index: number): boolean {
  return !items.slice(index + 1).some((m) => m.sender_type === 'contact')
}

/** A speech-bubble icon drawn with SVG (emoji fonts are not everywhere). */
function chatIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg'
  const svg = document.createElementNS(ns, 'svg')
  svg.setAttribute('viewBox', '0 0 24 24')
  svg.setAttribute('width', '26')
  svg.setAttribute('height', '26')
  svg.setAttribute('aria-hidden', 'true')
  const path = document.createElementNS(ns, 'path')
  path.setAttribute('fill', 'currentColor')
  path.setAttribute('d', 'M12 3C6.5 3 2 6.8 2 11.5c0 2.4 1.2 4.6 3.1 6.1L4 21l4.2-1.9c1.2.3 2.5.5 3.8.5 5.5 0 10-3.8 10-8.5S17.5 3 12 3z')
  svg.append(path)
  return svg
}

export interface Shell {
  host: HTMLElement
  launcher: HTMLButtonElement
  badge: HTMLElement
  panel: HTMLElement
  list: HTMLElement
  banner: HTMLElement
  queue: HTMLElement
  form: HTMLFormElement
  input: HTMLTextAreaElement
  closeButton: HTMLButtonElement
  subtitle: HTMLElement
  leaveButton: HTMLButtonElement
  handoffButton: HTMLButtonElement
  attachButton: HTMLButtonElement
  fileInput: HTMLInputElement
}

export function buildShell(root: ShadowRoot, css: string, t: Translate): Shell {
  const style = el('style')
  style.textContent = css
  const launcher = el('button', 'launcher')
  launcher.type = 'button'
  launcher.setAttribute('aria-label', t('open'))
  launcher.append(chatIcon())
  const badge = el('span', 'badge')
  badge.hidden = true
  launcher.append(badge)

  const panel = el('section', 'panel')
  panel.hidden = true
  panel.setAttribute('role', 'dialog')
  panel.setAttribute('aria-label', t('title'))
  const header = el('header', 'panel__header')
  const titles = el('div')
  const subtitle = el('div', 'panel__subtitle', t('subtitle'))
  titles.append(el('div', 'panel__title', t('title')), subtitle)
  const leaveButton = el('button', 'panel__leave', t('leave'))
  leaveButton.type = 'button'
  leaveButton.hidden = true // shown outside business hours
  const closeButton = el('button', 'panel__close', '×')
  closeButton.type = 'button'
  closeButton.setAttribute('aria-label', t('close'))
  header.append(titles, leaveButton, closeButton)

  const banner = el('div', 'banner')
  banner.hidden = true
  const queue = el('div', 'queue')
  queue.hidden = true
  queue.setAttribute('role', 'status')
  const list = el('div', 'list')
  list.setAttribute('aria-live', 'polite')
  const handoffButton = el('button', 'handoff', t('handoff'))
  handoffButton.type = 'button'
  handoffButton.hidden = true
  const form = el('form', 'composer')
  const fileInput = el('input')
  fileInput.type = 'file'
  fileInput.hidden = true
  const attachButton = el('button', 'composer__attach', '📎')
  attachButton.type = 'button'
  attachButton.setAttribute('aria-label', t('attach'))
  attachButton.title = t('attach')
  const input = el('textarea', 'composer__input')
  input.rows = 1
  input.placeholder = t('placeholder')
  input.setAttribute('aria-label', t('placeholder'))
  const send = el('button', 'composer__send', t('send'))
  send.type = 'submit'
  form.append(fileInput, attachButton, input, send)
  panel.append(header, banner, queue, list, handoffButton, form)
  root.append(style, panel, launcher)
  return {
    host: root.host as HTMLElement, launcher, badge, panel, list, banner, queue, form, input, closeButton, subtitle, leaveButton, handoffButton, attachButton, fileInput,
  }
}
