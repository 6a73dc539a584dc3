/** Typed endpoints of workforce management (`/api/v1/wfm`, managers only; see docs/wfm.md "HTTP API"). */
import { client } from './client'

/** days × intervals; null where unknown (e.g. no AHT). */
export type Matrix = (number | null)[][]
export type IntervalMinutes = 15 | 30 | 60
export type ForecastModel = 'auto' | 'seasonal_naive' | 'ets' | 'sarima'

export interface WfmQueues {
  own: string[]
  imported: string[]
}

export interface ImportResult {
  rows: number
  queues: string[]
  first: string | null
  last: string | null
  replaced: number
}

export interface WfmEventIn {
  name: string
  date: string
  end?: string | null
  factor?: number | null
}
export interface WfmEvent {
  id: string
  name: string
  date: string
  end: string
  factor: number | null
  created_at: string
}

export interface ForecastIn {
  queue: string
  interval_minutes: IntervalMinutes
  days_ahead: number
  start?: string | null
  history_days?: number
  model: ForecastModel
}

export interface ForecastSummary {
  id: string
  queue: string
  channel: string | null
  interval_minutes: number
  model: string
  first_day: string
  last_day: string
  created_at: string
}

export interface MonthDeviation {
  month: string
  actual: number
  forecast: number
  deviation: number | null
}

export interface Accuracy {
  interval_wape: number | null
  interval_mape: number | null
  daily_wape: number | null
  daily_mape: number | null
  months: MonthDeviation[]
  slot_wape: (number | null)[]
}

export interface AccuracyReport {
  model: string
  selection_wape: Record<string, number>
  test_first_day: string
  test_last_day: string
  test_days: number
  model_accuracy: Accuracy
  seasonal_naive: Accuracy
  wape_ratio: number | null
  chosen?: { model: string; accuracy: Accuracy; wape_ratio: number | null }
}

export interface ForecastResult {
  days: string[]
  slots: string[]
  slot_minutes: number[]
  volume: Matrix
  lower: Matrix | null
  upper: Matrix | null
  band: string
  aht_seconds: Matrix
  selection: { model: string; window_days: number; wape: Record<string, number> }
  report: AccuracyReport | null
  report_note: string
  history: { first_day: string; last_day: string; n_days: number; contacts: number; days: string[]; volume: Matrix }
}

export interface Forecast extends ForecastSummary {
  result: ForecastResult
}

export interface Target {
  target_sl: number
  target_time: number
  shrinkage: number
  max_occupancy: number
  patience?: number | null
  aht?: number | null
}

export interface RequirementRow {
  day: string
  slot: string
  volume: number
  aht_seconds: number
  agents: number
  scheduled_agents: number
  service_level: number
  asa_seconds: number | null
  occupancy: number
  p_wait: number
  p_abandon: number
}
export interface Requirement {
  forecast_id: string
  model: 'erlang_c' | 'erlang_a'
  interval_minutes: number
  rows: RequirementRow[]
}

export interface StaffingIn extends Target {
  calls: number
  interval_seconds: number
  aht: number
  agents?: number | null
}
export interface StaffingOut {
  model: 'erlang_c' | 'erlang_a'
  traffic_erlangs: number
  agents: number
  scheduled_agents: number
  service_level: number
  asa_seconds: number | null
  occupancy: number
  p_wait: number
  p_abandon: number
}

export interface ShiftTemplateIn {
  name: string
  length_minutes: number
  earliest_start: string
  latest_start: string
  start_step_minutes: number
  break_minutes: number
  break_after_minutes: [number, number]
}
export interface ShiftTemplate extends ShiftTemplateIn {
  id: string
  created_at: string
}

export interface ScheduleIn extends Target {
  forecast_id: string
  week_start: string
  templates: string[]
  agents: string[]
  max_shifts?: number
  time_limit_seconds?: number
}
export interface ScheduleSummary {
  id: string
  forecast_id: string
  week_start: string
  interval_minutes: number
  optimal: boolean
  cost: number
  created_at: string
}
export interface Assignment {
  agent_id: string
  agent: string
  day: number
  date: string
  template: string
  start: string
  end: string
  break_start: string | null
  break_end: string | null
}
export interface Coverage {
  labels: string[]
  required: number[]
  scheduled: number[]
  under: number[]
  over: number[]
}
export interface Schedule extends ScheduleSummary {
  result: {
    assignments: Assignment[]
    coverage: Coverage
    totals: { shifts: number; under_intervals: number; under_agent_intervals: number; over_agent_intervals: number }
    queues: { queue: string; required: number[]; volume: number[]; aht_seconds: (number | null)[] }[]
    groups: { skills: string[]; staff: number[] }[]
  }
}

export interface ScenarioIn {
  name: string
  volume_factor?: number
  bot_containment_delta?: number
  aht_factor?: number
  staff_delta?: number
  first_interval?: number
  last_interval?: number | null
}
export interface SimulationIn {
  schedule_id?: string
  staffing?: { calls: number[]; agents: number[]; interval_seconds: number; aht: number }
  scenarios: ScenarioIn[]
  patience?: number
  bot_containment?: number
  capacity?: number
  target_sl?: number
  target_time?: number
  replications?: number
  seed?: number
}
export interface SimTotals {
  offered: number
  contained: number
  queued: number
  answered: number
  abandoned: number
  service_level: number
  asa_seconds: number
  abandon_rate: number
  occupancy: number
}
export interface SimIntervals {
  labels: string[]
  offered: number[]
  service_level: number[]
  asa_seconds: number[]
  abandon_rate: number[]
  occupancy: number[]
  agents: number[]
}
export interface ScenarioOut {
  name: string
  totals: SimTotals
  intervals: SimIntervals
  bottlenecks: string[]
  bottleneck_intervals: number[]
}
export interface SimulationOut {
  interval_minutes: number
  replications: number
  scenarios: ScenarioOut[]
}

export interface Intraday {
  queue: string
  date: string
  forecast_id: string
  slots: string[]
  forecast: number[]
  actual: (number | null)[]
  reforecast: (number | null)[]
  elapsed: number
  actual_so_far: number
  forecast_so_far: number
  deviation: number
  threshold: number
  alert: boolean
  interval_alerts: string[]
  outside_slots: number
}

const id = encodeURIComponent
const send = <T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> =>
  client.call<T>(`/wfm${path}`, { method, body })
const get = <T>(path: string, query?: Record<string, string | number | null | undefined>): Promise<T> =>
  client.call<T>(`/wfm${path}`, { query })

export const wfmApi = {
  queues: () => get<WfmQueues>('/queues'),
  importHistory: (file: File) => {
    const form = new FormData()
    form.append('file', file)
    return client.call<ImportResult>('/wfm/history/import', { method: 'POST', body: form })
  },
  clearHistory: (queue: string | null) => client.call<null>('/wfm/history', { method: 'DELETE', query: { queue } }),

  events: () => get<WfmEvent[]>('/events'),
  createEvent: (body: WfmEventIn) => send<WfmEvent>('POST', '/events', body),
  updateEvent: (eventId: string, body: WfmEventIn) => send<WfmEvent>('PUT', `/events/${id(eventId)}`, body),
  deleteEvent: (eventId: string) => send<null>('DELETE', `/events/${id(eventId)}`),

  createForecast: (body: ForecastIn) => send<Forecast>('POST', '/forecasts', body),
  forecasts: (queue: string | null, limit = 20) => get<ForecastSummary[]>('/forecasts', { queue, limit }),
  forecast: (forecastId: string) => get<Forecast>(`/forecasts/${id(forecastId)}`),
  requirement: (forecastId: string, target: Target) =>
    get<Requirement>(`/forecasts/${id(forecastId)}/requirement`, { ...target }),
  staffing: (body: StaffingIn) => send<StaffingOut>('POST', '/staffing', body),

  templates: () => get<ShiftTemplate[]>('/shift-templates'),
  createTemplate: (body: ShiftTemplateIn) => send<ShiftTemplate>('POST', '/shift-templates', body),
  updateTemplate: (templateId: string, body: ShiftTemplateIn) =>
    send<ShiftTemplate>('PUT', `/shift-templates/${id(templateId)}`, body),
  deleteTemplate: (templateId: string) => send<null>('DELETE', `/shift-templates/${id(templateId)}`),

  createSchedule: (body: ScheduleIn) => send<Schedule>('POST', '/schedules', body),
  schedules: (limit = 20) => get<ScheduleSummary[]>('/schedules', { limit }),
  schedule: (scheduleId: string) => get<Schedule>(`/schedules/${id(scheduleId)}`),
  exportSchedule: (scheduleId: string, format: 'csv' | 'xlsx') =>
    client.blob(`/wfm/schedules/${id(scheduleId)}/export`, { query: { format } }),

  simulate: (body: SimulationIn) => send<SimulationOut>('POST', '/simulations', body),
  intraday: (query: { queue: string; date?: string | null; forecast_id?: string | null; threshold?: number }) =>
    get<Intraday>('/intraday', query),
}
