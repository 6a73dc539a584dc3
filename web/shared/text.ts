/** Helpers for showing user content safely as text. */

/** Only http(s) and same-origin relative URLs may become links; anything else (javascript:, data:) is refused. */
export function safeUrl(url: string, base = globalThis.location?.href ?? 'http://localhost/'): string | null {
  try {
    const parsed = new URL(url, base)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null
  } catch {
    return null
  }
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** Client message id for idempotent sends; falls back when crypto.randomUUID is unavailable (http pages). */
export function newClientMsgId(): string {
  const c = globalThis.crypto
  if (c && typeof c.randomUUID === 'function') return c.randomUUID()
  const bytes = new Uint8Array(16)
  c.getRandomValues(bytes)
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export interface TextRun {
  text: string
  bold: boolean
}

/** Knowledge-base answers mark bold as `**…**`: the runs, to render as text (never parsed as HTML). */
export function splitBold(text: string): TextRun[] {
  return text
    .split(/\*\*([^*\n]+)\*\*/)
    .map((part, i) => ({ text: part, bold: i % 2 === 1 }))
    .filter((run) => run.text !== '')
}

/** The same text without the `**` markers (e.g. an answer inserted into an agent's reply). */
export function stripBold(text: string): string {
  return splitBold(text)
    .map((run) => run.text)
    .join('')
}
