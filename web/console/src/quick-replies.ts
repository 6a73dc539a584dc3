/** `/shortcut` completion in the composer: which quick replies match what is being typed, and the text after inserting one. */

export interface Shortcut {
  shortcut: string
  title: string
  body: string
}

export function isShortcut(value: string): boolean {
  return /^\/?[\p{L}\p{N}_-]{1,32}$/u.test(value.trim())
}

/** The `/word` being typed at the end of the text (at its start or after whitespace), or null. */
export function shortcutQuery(text: string): string | null {
  const match = /(?:^|\s)\/([\p{L}\p{N}_-]*)$/u.exec(text)
  return match ? match[1]!.toLowerCase() : null
}

/** Replies whose shortcut starts with the query (exact match first), then those whose title contains it. */
export function matchReplies<R extends Shortcut>(replies: readonly R[], query: string, limit = 8): R[] {
  const q = query.toLowerCase()
  const starts = replies.filter((r) => r.shortcut.toLowerCase().startsWith(q))
  starts.sort((a, b) => Number(b.shortcut.toLowerCase() === q) - Number(a.shortcut.toLowerCase() === q) || a.shortcut.localeCompare(b.shortcut))
  const inTitle = replies.filter((r) => !starts.includes(r) && q !== '' && r.title.toLowerCase().includes(q))
  return [...starts, ...inTitle].slice(0, limit)
}

/** Replaces the trailing `/word` by the reply's body. */
export function insertReply(text: string, body: string): string {
  return text.replace(/(^|\s)\/[\p{L}\p{N}_-]*$/u, (_m, lead: string) => lead + body)
}
