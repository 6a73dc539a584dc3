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
  handoff: '转人工客服',
  handoffSent: '已为您转接人工客服，请稍候…',
  handoffFailed: '暂时无法转接人工，请稍后再试。',
  queuePosition: '您当前排在第 {n} 位',
  queueWait: '预计等待约 {m} 分钟',
  attach: '发送文件',
  uploadFailed: '文件上传失败',
  helpful: '这个回答有帮助吗？',
  yes: '有帮助',
  no: '没有帮助',
  feedbackThanks: '感谢您的反馈！',
  csatTitle: '请为本次服务评分',
  csatComment: '还有什么想告诉我们的吗？（选填）',
  csatSubmit: '提交评价',
  csatThanks: '感谢您的评价！',
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
  handoff: 'Talk to a person',
  handoffSent: 'We are connecting you with a person, please wait…',
  handoffFailed: 'We cannot reach a person right now. Please try again later.',
  queuePosition: 'You are number {n} in line',
  queueWait: 'about {m} min',
  attach: 'Send a file',
  uploadFailed: 'The file could not be uploaded',
  helpful: 'Was this helpful?',
  yes: 'Helpful',
  no: 'Not helpful',
  feedbackThanks: 'Thanks for your feedback!',
  csatTitle: 'How did we do?',
  csatComment: 'Anything else you would like to tell us? (optional)',
  csatSubmit: 'Send rating',
  csatThanks: 'Thank you for your rating!',
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
