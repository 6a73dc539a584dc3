/** Pure shaping of WFM API results into table rows, CSV text and request bodies (unit-tested). */
import type {
  Accuracy,
  AccuracyReport,
  Assignment,
  Coverage,
  Intraday,
  Requirement,
  RequirementRow,
  ScenarioIn,
  SimulationOut,
} from '../../api/wfm'

/** "2026-11-27" + "09:30" → "11-27 09:30" (one x-axis label per day × interval). */
export function flatLabels(days: string[], slots: string[]): string[] {
  return days.flatMap((d) => slots.map((s) => `${d.slice(5)} ${s}`))
}

/** A share as a percentage with one decimal ("88.8 %"), "–" for null / NaN. */
export function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)} %`
}

/** A number with at most `digits` decimals, "–" for null / NaN. */
export function num(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : String(Number(x.toFixed(digits)))
}

export type AccuracyMetric = 'interval_wape' | 'interval_mape' | 'daily_wape' | 'daily_mape'
export const ACCURACY_METRICS: AccuracyMetric[] = ['interval_wape', 'interval_mape', 'daily_wape', 'daily_mape']

export interface AccuracyRow {
  metric: AccuracyMetric
  selected: number | null // the selection method's model on the test window
  chosen: number | null // the forecast's own model on the same days
  naive: number | null
}

/** WAPE / MAPE at interval and daily level: the selection method, the chosen model, seasonal naive. */
export function accuracyRows(report: AccuracyReport): AccuracyRow[] {
  const chosen: Accuracy = report.chosen?.accuracy ?? report.model_accuracy
  return ACCURACY_METRICS.map((metric) => ({
    metric,
    selected: report.model_accuracy[metric],
    chosen: chosen[metric],
    naive: report.seasonal_naive[metric],
  }))
}

export interface MonthRow {
  month: string
  actual: number
  forecast: number
  deviation: number | null
  naiveDeviation: number | null
}

/** Monthly total deviation (F − A) / A of the chosen model next to seasonal naive's. */
export function monthRows(report: AccuracyReport): MonthRow[] {
  const chosen = report.chosen?.accuracy ?? report.model_accuracy
  const naive = new Map(report.seasonal_naive.months.map((m) => [m.month, m.deviation]))
  return chosen.months.map((m) => ({ ...m, naiveDeviation: naive.get(m.month) ?? null }))
}

/** WAPE of each interval of the day, chosen model and seasonal naive. */
export function slotAccuracyRows(slots: string[], report: AccuracyReport): { slot: string; chosen: number | null; naive: number | null }[] {
  const chosen = report.chosen?.accuracy ?? report.model_accuracy
  return slots.map((slot, i) => ({ slot, chosen: chosen.slot_wape[i] ?? null, naive: report.seasonal_naive.slot_wape[i] ?? null }))
}

/** One CSV line per row; cells with a comma, quote or line break are quoted (RFC 4180). */
export function csvOf(header: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null): string => {
    const s = v === null ? '' : String(v)
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}

/** The per-interval requirement as CSV (UTF-8 BOM added by the caller for Excel). */
export function requirementCsv(req: Requirement): string {
  const header = ['day', 'slot', 'volume', 'aht_seconds', 'agents', 'scheduled_agents', 'service_level', 'asa_seconds', 'occupancy']
  const rows = req.rows.map((r) => [
    r.day, r.slot, r.volume, r.aht_seconds, r.agents, r.scheduled_agents,
    Number(r.service_level.toFixed(4)), r.asa_seconds === null ? null : Number(r.asa_seconds.toFixed(2)), Number(r.occupancy.toFixed(4)),
  ])
  return csvOf(header, rows)
}

/** Per day: contacts and the peak of agents needed (a summary above the long table). */
export function requirementByDay(rows: RequirementRow[]): { day: string; volume: number; peak: number; peakScheduled: number }[] {
  const out = new Map<string, { day: string; volume: number; peak: number; peakScheduled: number }>()
  for (const r of rows) {
    const d = out.get(r.day) ?? { day: r.day, volume: 0, peak: 0, peakScheduled: 0 }
    d.volume += r.volume
    d.peak = Math.max(d.peak, r.agents)
    d.peakScheduled = Math.max(d.peakScheduled, r.scheduled_agents)
    out.set(r.day, d)
  }
  return [...out.values()]
}

export interface GridRow {
  agentId: string
  agent: string
  cells: (Assignment | null)[] // one per day of the week
  shifts: number
}

/** Agents × the 7 days from `weekStart` (ISO date): each cell holds that day's shift or null. */
export function scheduleGrid(assignments: Assignment[], weekStart: string): { days: string[]; rows: GridRow[] } {
  const days = weekDays(weekStart)
  const rows = new Map<string, GridRow>()
  for (const a of assignments) {
    const row = rows.get(a.agent_id) ?? { agentId: a.agent_id, agent: a.agent, cells: days.map(() => null), shifts: 0 }
    const i = days.indexOf(a.date)
    if (i >= 0) {
      row.cells[i] = a
      row.shifts += 1
    }
    rows.set(a.agent_id, row)
  }
  return { days, rows: [...rows.values()].sort((x, y) => x.agent.localeCompare(y.agent)) }
}

/** The 7 ISO dates from `weekStart` (UTC arithmetic on calendar dates, no time zone shifts). */
export function weekDays(weekStart: string): string[] {
  const [y = 1970, m = 1, d = 1] = weekStart.split('-').map(Number)
  return Array.from({ length: 7 }, (_, i) => new Date(Date.UTC(y, m - 1, d + i)).toISOString().slice(0, 10))
}

/** "09:00–17:00" plus the break, for a grid cell. */
export function shiftText(a: Assignment): string {
  const main = `${a.start}–${a.end}`
  return a.break_start && a.break_end ? `${main} (☕ ${a.break_start}–${a.break_end})` : main
}

/** Indices of the week's intervals where anything is required or scheduled (closed hours dropped). */
export function openIntervals(c: Coverage): number[] {
  return c.labels.map((_, i) => i).filter((i) => (c.required[i] ?? 0) > 0 || (c.scheduled[i] ?? 0) > 0)
}

export type ScenarioMetric = 'service_level' | 'asa_seconds' | 'abandon_rate' | 'occupancy'
export const SCENARIO_METRICS: ScenarioMetric[] = ['service_level', 'asa_seconds', 'abandon_rate', 'occupancy']
const HIGHER_IS_BETTER: Record<ScenarioMetric, boolean> = {
  service_level: true,
  asa_seconds: false,
  abandon_rate: false,
  occupancy: true,
}

export interface TotalsRow {
  metric: ScenarioMetric | 'offered' | 'answered' | 'abandoned'
  values: number[] // base first, then each scenario
  deltas: (number | null)[] // value − base (null for the base)
  worse: boolean[] // the scenario is worse than the base on this metric
  better: boolean[] // … or better (counts are neither)
}

/** Totals side by side, with each scenario's difference from the base case. */
export function scenarioTotalsRows(sim: SimulationOut): TotalsRow[] {
  const metrics: TotalsRow['metric'][] = [...SCENARIO_METRICS, 'offered', 'answered', 'abandoned']
  return metrics.map((metric) => {
    const values = sim.scenarios.map((s) => s.totals[metric])
    const base = values[0] ?? 0
    const deltas = values.map((v, i) => (i === 0 ? null : v - base))
    const judge = (sign: 1 | -1) =>
      deltas.map((d) => {
        if (d === null || metric === 'offered' || metric === 'answered' || metric === 'abandoned') return false
        return (HIGHER_IS_BETTER[metric] ? -d : d) * sign > 1e-9
      })
    return { metric, values, deltas, worse: judge(1), better: judge(-1) }
  })
}

/** A total as shown: shares in %, ASA in seconds, counts rounded. */
export function formatMetric(metric: TotalsRow['metric'], v: number): string {
  if (metric === 'asa_seconds') return `${num(v)} s`
  if (metric === 'offered' || metric === 'answered' || metric === 'abandoned') return num(v, 0)
  return pct(v)
}

/** A difference from the base: shares in percentage points (`points` is the unit's name), ASA in seconds. */
export function formatDelta(metric: TotalsRow['metric'], d: number | null, points: string): string {
  if (d === null || !Number.isFinite(d)) return ''
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±'
  const a = Math.abs(d)
  if (metric === 'asa_seconds') return `${sign}${num(a)} s`
  if (metric === 'offered' || metric === 'answered' || metric === 'abandoned') return `${sign}${num(a, 0)}`
  return `${sign}${(a * 100).toFixed(1)} ${points}`
}

export interface IntervalRow {
  index: number
  label: string
  agents: number[]
  values: number[] // the metric, base first
  bottleneck: boolean[] // the interval is a bottleneck of that scenario
}

/** Per interval: one metric of every scenario, bottlenecks flagged; intervals without contacts in any scenario are left out. */
export function scenarioIntervalRows(sim: SimulationOut, metric: ScenarioMetric): IntervalRow[] {
  const base = sim.scenarios[0]
  if (!base) return []
  const flags = sim.scenarios.map((s) => new Set(s.bottleneck_intervals))
  return base.intervals.labels
    .map((label, index) => ({
      index,
      label,
      agents: sim.scenarios.map((s) => s.intervals.agents[index] ?? 0),
      values: sim.scenarios.map((s) => s.intervals[metric][index] ?? NaN),
      bottleneck: flags.map((f) => f.has(index)),
    }))
    .filter((r) => sim.scenarios.some((s) => (s.intervals.offered[r.index] ?? 0) > 0))
}

/** The simulation's interval labels replaced by `labels` (a staffing series is labelled by offset from 00:00). */
export function relabel(sim: SimulationOut, labels: string[]): SimulationOut {
  return {
    ...sim,
    scenarios: sim.scenarios.map((s) => ({
      ...s,
      intervals: { ...s.intervals, labels: s.intervals.labels.map((l, i) => labels[i] ?? l) },
      bottlenecks: s.bottleneck_intervals.map((i) => labels[i] ?? s.intervals.labels[i] ?? String(i)),
    })),
  }
}

export interface StaffingSource {
  labels: string[]
  calls: number[]
  agents: number[]
  aht: number
  interval_seconds: number
}

/** One forecast day as a simulation input: forecast calls and the Erlang agents of each interval. */
export function staffingSource(req: Requirement, day: string): StaffingSource | null {
  const rows = req.rows.filter((r) => r.day === day)
  const calls = rows.reduce((s, r) => s + r.volume, 0)
  if (rows.length === 0 || calls <= 0) return null
  const aht = rows.reduce((s, r) => s + r.volume * r.aht_seconds, 0) / calls
  return {
    labels: rows.map((r) => r.slot),
    calls: rows.map((r) => r.volume),
    agents: rows.map((r) => r.agents),
    aht: Math.round(aht * 10) / 10,
    interval_seconds: req.interval_minutes * 60,
  }
}

/** What the scenario form holds: percentages as the user types them, the affected range as labels. */
export interface ScenarioForm {
  name: string
  volumePercent: number // +30 → volume × 1.3
  botPercent: number // +10 → bot resolves 10 points more of all contacts
  ahtPercent: number // +10 → AHT × 1.1
  staffDelta: number // −2 → two agents fewer
  from: string | null // first affected interval label (null = from the start)
  to: string | null // last affected interval label (null = to the end)
}

export function blankScenario(name: string): ScenarioForm {
  return { name, volumePercent: 0, botPercent: 0, ahtPercent: 0, staffDelta: 0, from: null, to: null }
}

/** The form as the API's scenario (`labels` are the simulated intervals, in order). */
export function scenarioBody(f: ScenarioForm, labels: string[]): ScenarioIn {
  const first = f.from === null ? 0 : Math.max(0, labels.indexOf(f.from))
  const lastIndex = f.to === null ? -1 : labels.indexOf(f.to)
  return {
    name: f.name.trim() || '?',
    volume_factor: round4(1 + f.volumePercent / 100),
    bot_containment_delta: round4(f.botPercent / 100),
    aht_factor: round4(1 + f.ahtPercent / 100),
    staff_delta: Math.trunc(f.staffDelta),
    first_interval: first,
    last_interval: lastIndex < 0 ? null : Math.max(first, lastIndex),
  }
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000

export type IntradayState = 'alert' | 'normal' | 'early'

/** The day's alert state: the server's alert, or "too early" while under 20 contacts were forecast so far. */
export function intradayState(d: Intraday): IntradayState {
  if (d.alert) return 'alert'
  return d.forecast_so_far < 20 ? 'early' : 'normal'
}
