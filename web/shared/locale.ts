import type { Locale } from './types'

/** Maps a BCP 47 tag to a supported locale, or null: any `zh*` → zh-CN, any `en*` → en. */
export function matchLocale(tag: string | null | undefined): Locale | null {
  const t = (tag ?? '').trim().toLowerCase()
  if (t === 'zh' || t.startsWith('zh-') || t.startsWith('zh_')) return 'zh-CN'
  if (t === 'en' || t.startsWith('en-') || t.startsWith('en_')) return 'en'
  return null
}

/** First supported locale among the candidates (page language first, then the browser's), else `fallback`. */
export function pickLocale(candidates: ReadonlyArray<string | null | undefined>, fallback: Locale = 'en'): Locale {
  for (const c of candidates) {
    const locale = matchLocale(c)
    if (locale) return locale
  }
  return fallback
}
