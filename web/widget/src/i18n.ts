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
  away: '客服暂时不在线',
  awayUntil: '{time} 恢复服务',
  leave: '留言',
  leaveTitle: '给我们留言',
  leaveIntro: '客服暂时不在线。请留言，我们上班后会尽快回复您。',
  leaveName: '称呼（选填）',
  leaveEmail: '邮箱（选填，用于接收回复）',
  leaveMessage: '留言内容',
  leaveSubmit: '提交留言',
  leaveBack: '返回对话',
  leaveNeedMessage: '请填写留言内容。',
  leaveBadEmail: '请检查邮箱地址。',
  leaveTooLong: '内容过长，请精简。',
  leaveFailed: '留言提交失败，请稍后重试。',
  leaveDone: '感谢留言！我们已收到（编号 #{n}），上班后会尽快回复您。',
  leaveLink: '查看处理进度',
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
  away: 'We are away right now',
  awayUntil: 'back {time}',
  leave: 'Leave a message',
  leaveTitle: 'Leave us a message',
  leaveIntro: 'Our team is away right now. Leave a message and we will get back to you as soon as we are back.',
  leaveName: 'Name (optional)',
  leaveEmail: 'Email (optional, for our reply)',
  leaveMessage: 'Your message',
  leaveSubmit: 'Send message',
  leaveBack: 'Back to chat',
  leaveNeedMessage: 'Please write your message.',
  leaveBadEmail: 'Please check the email address.',
  leaveTooLong: 'This is too long, please shorten it.',
  leaveFailed: 'Your message could not be sent. Please try again.',
  leaveDone: 'Thank you! We received your message (#{n}) and will reply as soon as we are back.',
  leaveLink: 'Follow your request',
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
