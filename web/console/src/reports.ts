/** Pure logic of the reports screen: periods, value and delta formatting, chart options (unit-tested). */
import type { EChartsCoreOption } from 'echarts/core'
import type { Locale } from '../../shared/types'
import type { Bucket, BreakdownRow, HeatCell, Metric, MetricUnit, ReportQuery, SeriesPoint } from './api/reports'
import { formatDuration } from './format'

/** Which way is good for each metric: 1 higher is better, -1 lower is better, 0 neither. */
export const DIRECTION: Record<string, 1 | -1 | 0> = {
  conversations: 0,
  messages: 0,
  self_service_rate: 1,
  transfer_to_human_rate: -1,
  bot_coverage: 1,
  clarify_rate: -1,
  service_level: 1,
  asa: -1,
  abandonment_rate: -1,
  first_response_time: -1,
  handle_time: -1,
  resolution_time: -1,
  csat: 1,
  qa_score: 1,
  tickets_created: 0,
  tickets_solved: 1,
  tickets_breached: -1,
  contacts_per_10k_orders: -1,
}

export function formatValue(value: number | null | undefined, unit: MetricUnit | string, locale: Locale = 'en'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  switch (unit) {
    case 'ratio':
      return `${(value * 100).toFixed(1)}%`
    case 'seconds':
      return formatDuration(value)
    case 'score':
      return value.toFixed(2)
    case 'rate':
      return value.toFixed(1)
    default:
      return Math.round(value).toLocaleString(locale === 'zh-CN' ? 'zh-CN' : 'en-US')
  }
}

export interface Delta {
  /** "+2.5 pp" for ratios (percentage points), "+12%" otherwise */
  text: string
  trend: 'up' | 'down' | 'flat'
  tone: 'good' | 'bad' | 'neutral'
}

/** The change against the previous period, or null when there is nothing to compare with. */
export function delta(metric: Pick<Metric, 'key' | 'value' | 'previous' | 'unit'>): Delta | null {
  const { value, previous, unit } = metric
  if (value === null || previous === null) return null
  let change: number
  let text: string
  if (unit === 'ratio') {
    change = (value - previous) * 100
    text = `${change.toFixed(1)} pp`
  } else {
    if (previous === 0) return value === 0 ? { text: '0%', trend: 'flat', tone: 'neutral' } : null
    change = ((value - previous) / Math.abs(previous)) * 100
    text = `${change.toFixed(Math.abs(change) < 10 ? 1 : 0)}%`
  }
  if (Math.abs(change) < 0.05) return { text: unit === 'ratio' ? '0.0 pp' : '0%', trend: 'flat', tone: 'neutral' }
  const trend = change > 0 ? 'up' : 'down'
  const direction = DIRECTION[metric.key] ?? 0
  const tone = direction === 0 ? 'neutral' : (change > 0) === (direction > 0) ? 'good' : 'bad'
  return { text: change > 0 ? `+${text}` : text, trend, tone }
}

export function definitionOf(metric: Pick<Metric, 'definition_en' | 'definition_zh'>, locale: Locale): string {
  return locale === 'zh-CN' ? metric.definition_zh : metric.definition_en
}

export type Preset = 'today' | '7d' | '30d' | '90d'

/** [start, end) of a preset period ending now; "today" starts at local midnight. */
export function presetRange(preset: Preset, now: Date = new Date()): [Date, Date] {
  const end = new Date(now)
  if (preset === 'today') {
    const start = new Date(now)
    start.setHours(0, 0, 0, 0)
    return [start, end]
  }
  const days = { '7d': 7, '30d': 30, '90d': 90 }[preset]
  return [new Date(now.getTime() - days * 86_400_000), end]
}

/** Hourly buckets for periods up to two days, daily beyond. */
export function bucketFor(start: Date, end: Date): Bucket {
  return end.getTime() - start.getTime() <= 2 * 86_400_000 ? 'hour' : 'day'
}

export interface Filters {
  range: [Date, Date]
  channel: string | null
  teamId: string | null
  agentId: string | null
}

export function toQuery(f: Filters): ReportQuery {
  const q: ReportQuery = { start: f.range[0].toISOString(), end: f.range[1].toISOString() }
  if (f.channel) q.channel = f.channel
  if (f.teamId) q.team_id = f.teamId
  if (f.agentId) q.agent_id = f.agentId
  return q
}

const AXIS_TOOLTIP = { trigger: 'axis' } as const

export function volumeOption(points: readonly SeriesPoint[], names: { conversations: string; messages: string }): EChartsCoreOption {
  return {
    tooltip: AXIS_TOOLTIP,
    legend: { data: [names.conversations, names.messages] },
    grid: { left: 48, right: 48, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: points.map((p) => p.bucket) },
    yAxis: [
      { type: 'value', name: names.conversations, minInterval: 1 },
      { type: 'value', name: names.messages, minInterval: 1 },
    ],
    series: [
      { name: names.conversations, type: 'line', smooth: true, data: points.map((p) => p.conversations) },
      { name: names.messages, type: 'line', smooth: true, yAxisIndex: 1, data: points.map((p) => p.messages) },
    ],
  }
}

export const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'))

/** Weekday (rows, Monday first) × hour heat map; every one of the 168 cells is present. */
export function heatmapOption(cells: readonly HeatCell[], weekdays: readonly string[], name: string): EChartsCoreOption {
  const counts = new Map(cells.map((c) => [`${c.weekday}:${c.hour}`, c.conversations]))
  const data: [number, number, number][] = []
  for (let d = 0; d < 7; d++) for (let h = 0; h < 24; h++) data.push([h, d, counts.get(`${d}:${h}`) ?? 0])
  const max = Math.max(1, ...data.map((x) => x[2]))
  return {
    tooltip: { position: 'top' },
    grid: { left: 64, right: 16, top: 16, bottom: 72 },
    xAxis: { type: 'category', data: HOURS, splitArea: { show: true } },
    yAxis: { type: 'category', data: [...weekdays], inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0 },
    series: [{ name, type: 'heatmap', data, label: { show: false } }],
  }
}

export function rowLabel(row: Pick<BreakdownRow, 'key' | 'name'>, none: string): string {
  return row.name ?? row.key ?? none
}

/** Bars of conversations per team / agent / channel, the largest first (at most `limit`). */
export function breakdownOption(
  rows: readonly BreakdownRow[],
  names: { conversations: string; queued: string },
  none: string,
  limit = 15,
): EChartsCoreOption {
  const top = [...rows].sort((a, b) => b.conversations - a.conversations).slice(0, limit)
  return {
    tooltip: AXIS_TOOLTIP,
    legend: { data: [names.conversations, names.queued] },
    grid: { left: 120, right: 24, top: 32, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: top.map((r) => rowLabel(r, none)) },
    series: [
      { name: names.conversations, type: 'bar', data: top.map((r) => r.conversations) },
      { name: names.queued, type: 'bar', data: top.map((r) => r.queued) },
    ],
  }
}

/** A safe file name for an export: `kefu-volume-2026-11-01_2026-11-08.csv`. */
export function exportName(report: string, q: ReportQuery, format: 'csv' | 'xlsx'): string {
  const day = (iso: string) => iso.slice(0, 10)
  return `kefu-${report}-${day(q.start)}_${day(q.end)}.${format}`
}
