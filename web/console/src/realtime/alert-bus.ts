/**
 * Live alert events (`alert.raised` / `alert.cleared`, managers only) fanned out in the page: the
 * banner and the monitor listen. Spread into the console's event → handler table (handlers.ts).
 */
import type { HandlersOf } from '../../../shared/events'
import type { AlertEventData, AlertEventDataMap } from '../../../shared/alerts'

export type AlertEvent = { type: keyof AlertEventDataMap; data: AlertEventData }
type Listener = (event: AlertEvent) => void
const listeners = new Set<Listener>()

export function onAlertEvent(fn: Listener): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

export function emitAlertEvent(event: AlertEvent): void {
  for (const fn of listeners) fn(event)
}

export const alertHandlers: HandlersOf<AlertEventDataMap> = {
  'alert.raised': (data) => emitAlertEvent({ type: 'alert.raised', data }),
  'alert.cleared': (data) => emitAlertEvent({ type: 'alert.cleared', data }),
}
