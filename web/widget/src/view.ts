/**
 * DOM building for the widget. User content is only ever assigned through `textContent` or
 * attribute setters (never innerHTML), so an HTML payload shows literally.
 */
import type { ChatItem } from '../../shared/merge'
import { formatSize, safeUrl } from '../../shared/text'
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
}

export function renderMessage(item: ChatItem, actions: MessageActions): HTMLElement {
  const { t } = actions
  const row = el('div', `msg msg--${item.sender_type} msg--${item.delivery}`)
  row.dataset.seq = String(item.seq)
  if (item.sender_type !== 'contact') row.append(el('div', 'msg__sender', t(item.sender_type)))
  row.append(el('div', 'msg__bubble', item.body))
  for (const file of item.attachments) {
    const href = safeUrl(file.url)
    const label = `${file.filename} (${formatSize(file.size)})`
    if (!href) continue
    const link = el('a', 'msg__file', label)
    link.href = href
    link.target = '_blank'
    link.rel = 'noopener noreferrer'
    row.append(link)
  }
  if (actions.showSuggestions && item.suggestions.length > 0) row.append(renderSuggestions(item, actions))
  if (item.delivery !== 'sent') row.append(renderDelivery(item, actions))
  return row
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
  form: HTMLFormElement
  input: HTMLTextAreaElement
  closeButton: HTMLButtonElement
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
  titles.append(el('div', 'panel__title', t('title')), el('div', 'panel__subtitle', t('subtitle')))
  const closeButton = el('button', 'panel__close', '×')
  closeButton.type = 'button'
  closeButton.setAttribute('aria-label', t('close'))
  header.append(titles, closeButton)

  const banner = el('div', 'banner')
  banner.hidden = true
  const list = el('div', 'list')
  list.setAttribute('aria-live', 'polite')
  const form = el('form', 'composer')
  const input = el('textarea', 'composer__input')
  input.rows = 1
  input.placeholder = t('placeholder')
  input.setAttribute('aria-label', t('placeholder'))
  const send = el('button', 'composer__send', t('send'))
  send.type = 'submit'
  form.append(input, send)
  panel.append(header, banner, list, form)
  root.append(style, panel, launcher)
  return { host: root.host as HTMLElement, launcher, badge, panel, list, banner, form, input, closeButton }
}
