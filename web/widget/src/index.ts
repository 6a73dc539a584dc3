/**
 * Entry point of the embeddable widget:
 *   <script src="https://kefu.example.com/widget/kefu-widget.js" data-widget-key="..." async></script>
 * Optional attributes: data-locale="zh-CN|en" (else the page's <html lang>, then the browser's).
 * Everything renders inside a Shadow DOM, so host page styles and ours never mix.
 */
import { matchLocale } from '../../shared/locale'
import { WidgetApi, type WidgetConfig } from './api'
import { WidgetChat } from './chat'
import { pickWidgetLocale, translator } from './i18n'
import { buildShell } from './view'
import css from './widget.css?inline'

const HOST_ID = 'kefu-widget'

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript
  if (current instanceof HTMLScriptElement && current.dataset.widgetKey) return current
  return document.querySelector<HTMLScriptElement>('script[data-widget-key]')
}

export function readConfig(script: HTMLScriptElement): WidgetConfig | null {
  const widgetKey = script.dataset.widgetKey
  if (!widgetKey) return null
  const apiBase = new URL(script.src || '/', location.href).origin
  const locale = matchLocale(script.dataset.locale) ?? pickWidgetLocale()
  return { apiBase, widgetKey, locale }
}

export function mount(config: WidgetConfig): WidgetChat {
  const host = document.createElement('div')
  host.id = HOST_ID
  const root = host.attachShadow({ mode: 'open' })
  document.body.append(host)
  const t = translator(config.locale)
  const shell = buildShell(root, css, t)
  shell.panel.lang = config.locale
  const chat = new WidgetChat(shell, new WidgetApi(config), config.widgetKey, config.locale, t)
  chat.resumeIfKnown()
  return chat
}

function boot(): void {
  const flags = window as { __kefuWidgetLoaded?: boolean }
  if (flags.__kefuWidgetLoaded) return // the snippet was pasted twice
  flags.__kefuWidgetLoaded = true
  const script = findScript()
  const config = script && readConfig(script)
  if (!config) {
    console.warn('[kefu] widget script needs a data-widget-key attribute')
    return
  }
  if (document.body) mount(config)
  else document.addEventListener('DOMContentLoaded', () => mount(config), { once: true })
}

boot()
