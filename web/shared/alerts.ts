/** Live alert rules (`/api/v1/analytics/alert-rules`) and the managers' `alert.*` realtime events. */
import { isObj } from './guards'

export type AlertMetric = 'waiting' | 'longest_wait' | 'service_level'
export const ALERT_METRICS: readonly AlertMetric[] = ['waiting', 'longest_wait', 'service_level']

export interface AlertRule {
  id: string
  name: string
  metric: AlertMetric
  /** waiting: conversations; longest_wait: seconds; service_level: a share 0–1 */
  threshold: number
  enabled: boolean
  firing_since: string | null
  last_value: number | null
  created_at: string
}

/** `alert.raised` / `alert.cleared`: the rule as it is now and the live figure that decided. */
export interface AlertEventData {
  rule: AlertRule
  value: number | null
}

export function isAlertRule(v: unknown): v is AlertRule {
  return (
    isObj(v) &&
    typeof v.id === 'string' &&
    typeof v.name === 'string' &&
    ALERT_METRICS.includes(v.metric as AlertMetric) &&
    typeof v.threshold === 'number' &&
    (v.firing_since === null || typeof v.firing_since === 'string')
  )
}

const isAlertEvent = (d: Record<string, unknown>): boolean =>
  isAlertRule(d.rule) && (d.value === null || typeof d.value === 'number')

export const ALERT_EVENT_VALIDATORS = { 'alert.raised': isAlertEvent, 'alert.cleared': isAlertEvent }

export interface AlertEventDataMap {
  'alert.raised': AlertEventData
  'alert.cleared': AlertEventData
}
