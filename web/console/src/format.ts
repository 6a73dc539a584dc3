/** Display helpers shared by console components. */

/** Anonymous widget contacts have an empty name: show "Customer 3f2a9c" rather than nothing. */
export function contactLabel(contact: { id: string; name: string }, fallback: string): string {
  return contact.name.trim() || `${fallback} ${contact.id.replace(/-/g, '').slice(0, 6)}`
}

type T = (key: string, values?: Record<string, unknown>) => string

/** A failed request as one line for a toast: the server's localised message when it sent one. */
export function errorText(t: T, err: unknown): string {
  return t('common.failed', { message: err instanceof Error ? err.message : String(err) })
}

/** Seconds as a short duration: "45s", "3m 05s", "1h 02m". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`
}

/** A stored moment (ISO 8601) as a local date and time in the console's language. */
export function formatWhen(iso: string, locale: string): string {
  return new Date(iso).toLocaleString(locale)
}
