/** The tenant's satisfaction-survey wording, chosen per contact locale over the built-in strings. */
import type { Locale } from '../../shared/types'
import type { Translate, WidgetKey } from './i18n'

/** Question / thank-you text per language as the session's inbox config carries it. */
export interface CsatWording {
  question?: Record<string, string>
  thanks?: Record<string, string>
}

/** The tenant's text for `locale` (exact, then its language), or null when not set. */
export function pickWording(texts: Record<string, string> | undefined, locale: Locale): string | null {
  if (!texts) return null
  const text = texts[locale] ?? texts[locale.slice(0, 2)]
  return typeof text === 'string' && text.trim() ? text : null
}

/** A translator that answers the survey title and thanks with the tenant's wording when present. */
export function withCsatWording(t: Translate, wording: CsatWording | undefined, locale: Locale): Translate {
  const title = pickWording(wording?.question, locale)
  const thanks = pickWording(wording?.thanks, locale)
  return (key: WidgetKey) => {
    if (key === 'csatTitle' && title) return title
    if (key === 'csatThanks' && thanks) return thanks
    return t(key)
  }
}
