import { createI18n } from 'vue-i18n'
import { pickLocale } from '../../../shared/locale'
import type { Locale } from '../../../shared/types'
import en from './en'
import zhCN from './zh-CN'

export type MessageSchema = typeof zhCN

export const messages: Record<Locale, MessageSchema> = { 'zh-CN': zhCN, en }

const STORAGE_KEY = 'kefu.console.locale'

export function initialLocale(): Locale {
  let saved: string | null = null
  try {
    saved = localStorage.getItem(STORAGE_KEY)
  } catch {
    // storage unavailable
  }
  return pickLocale([saved, ...(navigator.languages ?? [navigator.language])], 'zh-CN')
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages,
})

export function currentLocale(): Locale {
  return i18n.global.locale.value
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // storage unavailable
  }
}
