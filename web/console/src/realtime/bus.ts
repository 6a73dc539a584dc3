/** A tiny in-page signal: "some conversation changed" (the monitor refetches its figures on it). */
type Listener = () => void

const listeners = new Set<Listener>()

export function onConversationsChanged(fn: Listener): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

export function conversationsChanged(): void {
  for (const fn of listeners) fn()
}
