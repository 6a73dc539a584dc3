/** The widget's strings in both languages, and the choice of language from the host page. */
import { pickLocale } from '../../shared/locale'
import type { Locale } from '../../shared/types'

const zhCN = {
  title: '在线客服',
  subtitle: '我们通常几分钟内回复',
  greeting: '您好！请问有什么可以帮您？',
  placeholder: '输入消息…',
  send: '发送',
  open: '打开客服对话',
  close: '关闭对话',
  didYouMean: '您是不是想问：',
  sending: '发送中…',
  failed: '发送失败',
  retry: '重试',
  you: '我',
  bot: '智能助手',
  agent: '客服',
  system: '系统',
  typing: '对方正在输入…',
  reconnecting: '正在重新连接…',
  startFailed: '暂时无法连接客服，请稍后再试。',
  unread: '条未读消息',
}

export type WidgetMessages = typeof zhCN
export type WidgetKey = keyof WidgetMessages

const en: WidgetMessages = {
  title: 'Chat with us',
  subtitle: 'We usually reply in a few minutes',
  greeting: 'Hi! How can we help you?',
  placeholder: 'Type a message…',
  send: 'Send',
  open: 'Open chat',
  close: 'Close chat',
  didYouMean: 'Did you mean:',
  sending: 'Sending…',
  failed: 'Not sent',
  retry: 'Retry',
  you: 'You',
  bot: 'Assistant',
  agent: 'Agent',
  system: 'System',
  typing: 'Typing…',
  reconnecting: 'Reconnecting…',
  startFailed: 'We cannot reach support right now. Please try again later.',
  unread: 'unread messages',
}

export const WIDGET_MESSAGES: Record<Locale, WidgetMessages> = { 'zh-CN': zhCN, en }

/** The page's `<html lang>` wins, then the browser's languages; English otherwise. */
export function pickWidgetLocale(doc: Document = document, nav: Navigator = navigator): Locale {
  const browser = nav.languages && nav.languages.length > 0 ? nav.languages : [nav.language]
  return pickLocale([doc.documentElement.lang, ...browser])
}

export type Translate = (key: WidgetKey) => string

export function translator(locale: Locale): Translate {
  const messages = WIDGET_MESSAGES[locale]
  return (key) => messages[key]
}
