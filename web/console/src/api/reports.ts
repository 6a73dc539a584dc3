/** Typed endpoints of reports, the live monitor figures and alert rules (`/api/v1/analytics/*`). */
import type { AlertMetric, AlertRule } from '../../../shared/alerts'
import { client } from './client'

export type MetricUnit = 'count' | 'ratio' | 'seconds' | 'score' | 'rate'

export interface Metric {
  key: string
  value: number | null
  previous: number | null
  unit: MetricUnit
  definition_en: string
  definition_zh: string
}
export interface Summary {
  start: string
  end: string
  service_level_seconds: number
  metrics: Metric[]
}
export interface SeriesPoint {
  bucket: string
  conversations: number
  messages: number
}
export interface HeatCell {
  weekday: number
  hour: number
  conversations: number
}
export interface TopQuestions {
  answered: { faq_id: string; question: string; count: number }[]
  unanswered: { text: string; count: number }[]
}
export type BreakdownBy = 'team' | 'agent' | 'channel'
export interface BreakdownRow {
  key: string | null
  name: string | null
  conversations: number
  messages: number
  queued: number
  service_level: number | null
  abandonment_rate: number | null
  first_response_time: number | null
  handle_time: number | null
}
export type Bucket = 'hour' | 'day'
export type ReportName = 'summary' | 'volume' | 'heatmap' | 'top_questions' | 'top_unanswered' | 'breakdown'

/** The period and filters every report takes (ISO instants with a zone). */
export interface ReportQuery {
  start: string
  end: string
  channel?: string | null
  team_id?: string | null
  agent_id?: string | null
}

export interface LiveFigures {
  waiting: number
  longest_wait_seconds: number
  service_level: number | null
  service_level_seconds: number
  service_level_queued: number
  agents: Record<string, number>
  alerts: AlertRule[]
  /** key → [unit, en, zh] */
  definitions: Record<string, [string, string, string]>
}
export interface AlertRuleIn {
  name: string
  metric: AlertMetric
  threshold: number
  enabled: boolean
}

type Q = Record<string, string | number | null | undefined>
const A = '/analytics'

export const reportsApi = {
  summary: (q: ReportQuery) => client.call<Summary>(`${A}/summary`, { query: { ...q } }),
  volume: (q: ReportQuery, bucket: Bucket) => client.call<SeriesPoint[]>(`${A}/volume`, { query: { ...q, bucket } }),
  heatmap: (q: ReportQuery) => client.call<HeatCell[]>(`${A}/heatmap`, { query: { ...q } }),
  topQuestions: (q: ReportQuery, limit = 10) =>
    client.call<TopQuestions>(`${A}/top-questions`, { query: { ...q, limit } }),
  breakdown: (q: ReportQuery, by: BreakdownBy) =>
    client.call<BreakdownRow[]>(`${A}/breakdown`, { query: { ...q, by } }),
  /** One report as a CSV or XLSX file, with the same filters (and `bucket`, `by`, `limit`). */
  exportReport: (q: ReportQuery, report: ReportName, format: 'csv' | 'xlsx', extra: Q = {}) =>
    client.blob(`${A}/export`, { query: { ...q, ...extra, report, format } }),
  live: () => client.call<LiveFigures>(`${A}/live`),
  alertRules: () => client.call<AlertRule[]>(`${A}/alert-rules`),
  createAlertRule: (body: AlertRuleIn) => client.call<AlertRule>(`${A}/alert-rules`, { method: 'POST', body }),
  updateAlertRule: (id: string, body: Partial<AlertRuleIn>) =>
    client.call<AlertRule>(`${A}/alert-rules/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  deleteAlertRule: (id: string) =>
    client.call<void>(`${A}/alert-rules/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  settings: () => client.call<{ service_level_seconds: number }>(`${A}/settings`),
  putSettings: (service_level_seconds: number) =>
    client.call<{ service_level_seconds: number }>(`${A}/settings`, { method: 'PUT', body: { service_level_seconds } }),
}
