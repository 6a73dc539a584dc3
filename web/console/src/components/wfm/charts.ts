/**
 * ECharts options of the WFM screens, built from API results (pure, unit-tested).
 * Texts come translated from the caller. Tooltips that are built here only show numbers and
 * interval labels; any other text goes through `escapeHtml` (ECharts renders tooltips as HTML).
 */
import type { EChartsCoreOption } from 'echarts/core'
import type { Coverage, ForecastResult, Intraday, Matrix, SimulationOut } from '../../api/wfm'
import { flatLabels, num, openIntervals, pct, type ScenarioMetric } from './tables'

const GRID = { left: 48, right: 24, top: 40, bottom: 64 }
const ZOOM = [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }]
const COLORS = { history: '#909399', forecast: '#409eff', band: '#409eff', under: '#f56c6c', over: '#e6a23c', ok: '#67c23a' }

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

const flat = (m: Matrix): (number | null)[] => m.flat()
const blanks = (n: number): null[] => Array.from({ length: n }, () => null)

export interface ForecastChartText {
  history: string
  forecast: string
  band: string
}

/** History (last 28 days) then the forecast on one axis, with the 80 % band as a shaded area. */
export function forecastChart(r: ForecastResult, text: ForecastChartText): EChartsCoreOption {
  const histLabels = flatLabels(r.history.days, r.slots)
  const fcLabels = flatLabels(r.days, r.slots)
  const nh = histLabels.length
  const nf = fcLabels.length
  const history = [...flat(r.history.volume), ...blanks(nf)]
  const forecast = [...blanks(nh), ...flat(r.volume)]
  const lower = r.lower ? [...blanks(nh), ...flat(r.lower)] : null
  const upper = r.upper ? [...blanks(nh), ...flat(r.upper)] : null
  const series: object[] = [
    { name: text.history, type: 'line', data: history, symbol: 'none', lineStyle: { width: 1.5 }, color: COLORS.history },
    { name: text.forecast, type: 'line', data: forecast, symbol: 'none', lineStyle: { width: 2 }, color: COLORS.forecast },
  ]
  if (lower && upper) {
    const width = upper.map((u, i) => (u === null || lower[i] === null ? null : Math.max(0, u - (lower[i] ?? 0))))
    series.push(
      { name: text.band, type: 'line', data: lower, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, color: COLORS.band },
      {
        name: text.band,
        type: 'line',
        data: width,
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        areaStyle: { opacity: 0.2 },
        color: COLORS.band,
      },
    )
  }
  const labels = [...histLabels, ...fcLabels]
  const tip = (i: number): string => {
    const rows = [escapeHtml(labels[i] ?? '')]
    if (history[i] !== null) rows.push(`${escapeHtml(text.history)}: ${num(history[i])}`)
    if (forecast[i] !== null) rows.push(`${escapeHtml(text.forecast)}: ${num(forecast[i])}`)
    if (lower && upper && lower[i] !== null) rows.push(`${escapeHtml(text.band)}: ${num(lower[i])} – ${num(upper[i])}`)
    return rows.join('<br/>')
  }
  return {
    grid: GRID,
    legend: { top: 4, data: [text.history, text.forecast, ...(lower ? [text.band] : [])] },
    tooltip: { trigger: 'axis', formatter: (p: { dataIndex: number }[]) => tip(p[0]?.dataIndex ?? 0) },
    xAxis: { type: 'category', data: labels, boundaryGap: false },
    yAxis: { type: 'value', min: 0 },
    dataZoom: ZOOM,
    series,
  }
}

export interface CoverageChartText {
  required: string
  scheduled: string
  under: string
  over: string
}

/** Required vs scheduled agents per open interval of the week; shortfall below zero, surplus above. */
export function coverageChart(c: Coverage, text: CoverageChartText): EChartsCoreOption {
  const idx = openIntervals(c)
  const pick = (xs: number[]): number[] => idx.map((i) => xs[i] ?? 0)
  return {
    grid: GRID,
    legend: { top: 4 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: idx.map((i) => c.labels[i]) },
    yAxis: { type: 'value' },
    dataZoom: ZOOM,
    series: [
      { name: text.required, type: 'line', step: 'middle', data: pick(c.required), symbol: 'none', color: '#303133' },
      { name: text.scheduled, type: 'line', step: 'middle', data: pick(c.scheduled), symbol: 'none', color: COLORS.forecast },
      { name: text.under, type: 'bar', stack: 'gap', data: pick(c.under).map((x) => -x), color: COLORS.under },
      { name: text.over, type: 'bar', stack: 'gap', data: pick(c.over), color: COLORS.over },
    ],
  }
}

/** Marked x ranges (one per label) for ECharts' markArea. */
function marks(labels: string[], color: string, opacity: number): object {
  return { silent: true, itemStyle: { color, opacity }, data: labels.map((l) => [{ xAxis: l }, { xAxis: l }]) }
}

/** One metric per interval, one line per scenario; each scenario's bottleneck intervals shaded. */
export function scenarioChart(sim: SimulationOut, metric: ScenarioMetric, title: string): EChartsCoreOption {
  const labels = sim.scenarios[0]?.intervals.labels ?? []
  const asShare = metric !== 'asa_seconds'
  return {
    grid: GRID,
    title: { text: title, left: 'center', top: 4, textStyle: { fontSize: 13 } },
    legend: { top: 24 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => (asShare ? pct(v) : `${num(v)} s`) },
    xAxis: { type: 'category', data: labels },
    yAxis: asShare ? { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } } : { type: 'value', min: 0 },
    dataZoom: ZOOM,
    series: sim.scenarios.map((s) => ({
      name: s.name,
      type: 'line',
      symbol: 'none',
      data: s.intervals[metric].map((v) => (Number.isFinite(v) ? v : null)),
      markArea: marks(s.bottlenecks, COLORS.under, 0.08),
    })),
  }
}

export interface IntradayChartText {
  forecast: string
  actual: string
  reforecast: string
}

/** Today: forecast line, actual bars for the intervals over, the re-forecast of the rest dashed. */
export function intradayChart(d: Intraday, text: IntradayChartText): EChartsCoreOption {
  return {
    grid: GRID,
    legend: { top: 4 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: d.slots },
    yAxis: { type: 'value', min: 0 },
    series: [
      { name: text.actual, type: 'bar', data: d.actual, color: COLORS.history, markArea: marks(d.interval_alerts, COLORS.under, 0.15) },
      { name: text.forecast, type: 'line', data: d.forecast, symbol: 'none', color: COLORS.forecast },
      { name: text.reforecast, type: 'line', data: d.reforecast, symbol: 'none', lineStyle: { type: 'dashed' }, color: COLORS.over },
    ],
  }
}
