/** Pure logic of live alerts: the firing list kept from events, and how a rule reads (unit-tested). */
import type { AlertEventData, AlertMetric, AlertRule } from '../../shared/alerts'
import { formatDuration } from './format'

/** Applies an `alert.raised` / `alert.cleared` event to the list of firing rules (oldest first). */
export function applyAlertEvent(firing: readonly AlertRule[], type: 'alert.raised' | 'alert.cleared', data: AlertEventData): AlertRule[] {
  const others = firing.filter((r) => r.id !== data.rule.id)
  if (type === 'alert.cleared') return others
  return [...others, { ...data.rule, last_value: data.value }].sort((a, b) =>
    (a.firing_since ?? '').localeCompare(b.firing_since ?? ''),
  )
}

/** A threshold or live value in the metric's unit: "5", "2m 00s", "80%". */
export function formatAlertValue(metric: AlertMetric, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—'
  if (metric === 'service_level') return `${Math.round(value * 1000) / 10}%`
  if (metric === 'longest_wait') return formatDuration(value)
  return String(Math.round(value))
}

/** The comparison a rule fires on: waiting / longest wait above, service level below. */
export function comparator(metric: AlertMetric): '>' | '<' {
  return metric === 'service_level' ? '<' : '>'
}

/** The threshold as the form edits it (a percentage for service level) and back. */
export function thresholdToForm(metric: AlertMetric, threshold: number): number {
  return metric === 'service_level' ? Math.round(threshold * 1000) / 10 : threshold
}
export function thresholdFromForm(metric: AlertMetric, value: number): number {
  return metric === 'service_level' ? value / 100 : value
}
