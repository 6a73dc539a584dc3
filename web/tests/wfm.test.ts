/** Pure logic of the workforce screens: chart options, table shaping, CSV and request bodies. */
import { describe, expect, it } from 'vitest'
import type { AccuracyReport, Assignment, Coverage, ForecastResult, Intraday, Requirement, SimulationOut } from '../console/src/api/wfm'
import { coverageChart, escapeHtml, forecastChart, intradayChart, scenarioChart } from '../console/src/components/wfm/charts'
import {
  accuracyRows, blankScenario, csvOf, flatLabels, formatDelta, formatMetric, intradayState, monthRows, num, openIntervals, pct,
  relabel, requirementByDay, requirementCsv, scenarioBody, scenarioIntervalRows, scenarioTotalsRows, scheduleGrid, shiftText,
  slotAccuracyRows, staffingSource, weekDays,
} from '../console/src/components/wfm/tables'
import { defaultTargets, targetOf } from '../console/src/components/wfm/targets'

const accuracy = (wape: number, months: AccuracyReport['model_accuracy']['months']) => ({
  interval_wape: wape,
  interval_mape: wape + 0.01,
  daily_wape: wape / 2,
  daily_mape: null,
  months,
  slot_wape: [wape, wape * 2],
})

const report: AccuracyReport = {
  model: 'seasonal_naive',
  selection_wape: { seasonal_naive: 0.1, ets: 0.2 },
  test_first_day: '2026-11-13',
  test_last_day: '2026-11-26',
  test_days: 14,
  model_accuracy: accuracy(0.09, [{ month: '2026-11', actual: 1000, forecast: 1050, deviation: 0.05 }]),
  seasonal_naive: accuracy(0.12, [{ month: '2026-11', actual: 1000, forecast: 900, deviation: -0.1 }]),
  wape_ratio: 0.75,
  chosen: { model: 'sarima', accuracy: accuracy(0.06, [{ month: '2026-11', actual: 1000, forecast: 1020, deviation: 0.02 }]), wape_ratio: 0.5 },
}

const forecastResult = (band: boolean): ForecastResult => ({
  days: ['2026-11-27', '2026-11-28'],
  slots: ['09:00', '09:30'],
  slot_minutes: [540, 570],
  volume: [[10, 12], [8, 9]],
  lower: band ? [[7, 9], [5, 6]] : null,
  upper: band ? [[13, 15], [11, 12]] : null,
  band: '',
  aht_seconds: [[180, 180], [180, null]],
  selection: { model: 'ets', window_days: 10, wape: { ets: 0.1 } },
  report: null,
  report_note: 'x',
  history: { first_day: '2026-11-25', last_day: '2026-11-26', n_days: 2, contacts: 40, days: ['2026-11-25', '2026-11-26'], volume: [[9, 11], [10, null]] },
})

type Series = { name: string; type: string; data: (number | null)[]; stack?: string; markArea?: { data: unknown[] } }
const seriesOf = (option: unknown): Series[] => (option as { series: Series[] }).series

const sim = (): SimulationOut => {
  const scenario = (name: string, sl: number[], bottlenecks: number[], asa = 5) => ({
    name,
    totals: { offered: 100, contained: 0, queued: 100, answered: 95, abandoned: 5, service_level: sl[1] ?? 0, asa_seconds: asa, abandon_rate: 0.05, occupancy: 0.7 },
    intervals: {
      labels: ['00:00', '00:30', '01:00'],
      offered: [0, 50, 50],
      service_level: sl,
      asa_seconds: [0, asa, asa],
      abandon_rate: [0, 0.05, 0.05],
      occupancy: [0, 0.7, 0.7],
      agents: [0, 5, 5],
    },
    bottlenecks: bottlenecks.map((i) => ['00:00', '00:30', '01:00'][i] ?? ''),
    bottleneck_intervals: bottlenecks,
  })
  return { interval_minutes: 30, replications: 3, scenarios: [scenario('base', [0, 0.9, 0.85], []), scenario('-2', [0, 0.6, 0.7], [1, 2], 40)] }
}

describe('formatting', () => {
  it('formats shares, numbers and labels', () => {
    expect(pct(0.8884)).toBe('88.8 %')
    expect(pct(null)).toBe('–')
    expect(pct(Number.NaN)).toBe('–')
    expect(num(7.849, 1)).toBe('7.8')
    expect(num(14, 1)).toBe('14')
    expect(flatLabels(['2026-11-27', '2026-11-28'], ['09:00', '09:30'])).toEqual(['11-27 09:00', '11-27 09:30', '11-28 09:00', '11-28 09:30'])
    expect(formatMetric('asa_seconds', 7.84)).toBe('7.8 s')
    expect(formatMetric('offered', 99.6)).toBe('100')
    expect(formatDelta('service_level', -0.123, 'pts')).toBe('−12.3 pts')
    expect(formatDelta('asa_seconds', 3.06, 'pts')).toBe('+3.1 s')
    expect(formatDelta('offered', 0, 'pts')).toBe('±0')
    expect(formatDelta('offered', null, 'pts')).toBe('')
  })

  it('turns the typed targets into the API’s fractions', () => {
    expect(targetOf(defaultTargets())).toEqual({ target_sl: 0.8, target_time: 20, shrinkage: 0, max_occupancy: 1, patience: null })
    expect(targetOf({ ...defaultTargets(), shrinkagePercent: 30, patience: 300 })).toMatchObject({ shrinkage: 0.3, patience: 300 })
    expect(targetOf({ ...defaultTargets(), patience: 0 }).patience).toBeNull()
  })

  it('writes CSV with quoting', () => {
    expect(csvOf(['a', 'b'], [['x,y', 'say "hi"'], [1, null]])).toBe('a,b\r\n"x,y","say ""hi"""\r\n1,\r\n')
  })
})

describe('accuracy report', () => {
  it('puts the chosen model next to the selection method and naive', () => {
    const rows = accuracyRows(report)
    expect(rows.map((r) => r.metric)).toEqual(['interval_wape', 'interval_mape', 'daily_wape', 'daily_mape'])
    expect(rows[0]).toEqual({ metric: 'interval_wape', selected: 0.09, chosen: 0.06, naive: 0.12 })
    expect(rows[3]?.chosen).toBeNull()
  })

  it('gives monthly deviation and per-interval WAPE of the chosen model and naive', () => {
    expect(monthRows(report)).toEqual([{ month: '2026-11', actual: 1000, forecast: 1020, deviation: 0.02, naiveDeviation: -0.1 }])
    expect(slotAccuracyRows(['09:00', '09:30', '10:00'], report)).toEqual([
      { slot: '09:00', chosen: 0.06, naive: 0.12 },
      { slot: '09:30', chosen: 0.12, naive: 0.24 },
      { slot: '10:00', chosen: null, naive: null },
    ])
  })

  it('falls back to the selection model when the report has no chosen block', () => {
    const { chosen: _omit, ...older } = report
    expect(accuracyRows(older)[0]?.chosen).toBe(0.09)
  })
})

describe('forecast chart', () => {
  it('draws history then forecast on one axis with a stacked band', () => {
    const option = forecastChart(forecastResult(true), { history: 'H', forecast: 'F', band: 'B' }) as { xAxis: { data: string[] } }
    expect(option.xAxis.data).toHaveLength(8)
    expect(option.xAxis.data[0]).toBe('11-25 09:00')
    const [history, forecast, lower, width] = seriesOf(option)
    expect(history?.data).toEqual([9, 11, 10, null, null, null, null, null])
    expect(forecast?.data).toEqual([null, null, null, null, 10, 12, 8, 9])
    expect(lower?.data.slice(4)).toEqual([7, 9, 5, 6])
    expect(width?.data.slice(4)).toEqual([6, 6, 6, 6]) // upper − lower, stacked on lower
    expect(lower?.stack).toBe('band')
    expect(width?.stack).toBe('band')
  })

  it('leaves out the band when the forecast has none, and escapes tooltip text', () => {
    const option = forecastChart(forecastResult(false), { history: '<b>', forecast: 'F', band: 'B' }) as {
      tooltip: { formatter: (p: { dataIndex: number }[]) => string }
    }
    expect(seriesOf(option)).toHaveLength(2)
    expect(option.tooltip.formatter([{ dataIndex: 0 }])).toBe('11-25 09:00<br/>&#60;b&#62;: 9')
    expect(escapeHtml(`<img src=x onerror="a">`)).not.toContain('<')
  })
})

describe('requirement table', () => {
  const req: Requirement = {
    forecast_id: 'f',
    model: 'erlang_c',
    interval_minutes: 30,
    rows: [
      { day: '2026-11-27', slot: '09:00', volume: 100, aht_seconds: 180, agents: 14, scheduled_agents: 20, service_level: 0.8884, asa_seconds: 7.84, occupancy: 0.714, p_wait: 0.2, p_abandon: 0 },
      { day: '2026-11-27', slot: '09:30', volume: 50, aht_seconds: 240, agents: 9, scheduled_agents: 13, service_level: 0.85, asa_seconds: null, occupancy: 0.6, p_wait: 0.2, p_abandon: 0 },
      { day: '2026-11-28', slot: '09:00', volume: 0, aht_seconds: 180, agents: 0, scheduled_agents: 0, service_level: 1, asa_seconds: 0, occupancy: 0, p_wait: 0, p_abandon: 0 },
    ],
  }

  it('summarises days and writes CSV', () => {
    expect(requirementByDay(req.rows)).toEqual([
      { day: '2026-11-27', volume: 150, peak: 14, peakScheduled: 20 },
      { day: '2026-11-28', volume: 0, peak: 0, peakScheduled: 0 },
    ])
    const lines = requirementCsv(req).trim().split('\r\n')
    expect(lines[0]).toBe('day,slot,volume,aht_seconds,agents,scheduled_agents,service_level,asa_seconds,occupancy')
    expect(lines[1]).toBe('2026-11-27,09:00,100,180,14,20,0.8884,7.84,0.714')
    expect(lines[2]).toBe('2026-11-27,09:30,50,240,9,13,0.85,,0.6')
  })

  it('turns a forecast day into a simulation input (volume-weighted AHT)', () => {
    expect(staffingSource(req, '2026-11-27')).toEqual({
      labels: ['09:00', '09:30'],
      calls: [100, 50],
      agents: [14, 9],
      aht: 200,
      interval_seconds: 1800,
    })
    expect(staffingSource(req, '2026-11-28')).toBeNull() // no contacts to simulate
    expect(staffingSource(req, '2026-12-01')).toBeNull()
  })
})

describe('schedule grid and coverage', () => {
  const shift = (agent: string, date: string, day: number, brk = true): Assignment => ({
    agent_id: `id-${agent}`, agent, day, date, template: 'Day', start: '09:00', end: '17:00',
    break_start: brk ? '12:00' : null, break_end: brk ? '12:30' : null,
  })

  it('lays shifts out as agents × the 7 days of the week', () => {
    expect(weekDays('2026-12-28')).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03'])
    const grid = scheduleGrid([shift('Wang', '2026-11-27', 0), shift('Li', '2026-11-28', 1, false), shift('Wang', '2026-11-29', 2)], '2026-11-27')
    expect(grid.days).toHaveLength(7)
    expect(grid.rows.map((r) => [r.agent, r.shifts])).toEqual([['Li', 1], ['Wang', 2]])
    expect(grid.rows[1]?.cells.map((c) => (c ? c.date : null))).toEqual(['2026-11-27', null, '2026-11-29', null, null, null, null])
    expect(shiftText(shift('Wang', '2026-11-27', 0))).toBe('09:00–17:00 (☕ 12:00–12:30)')
    expect(shiftText(shift('Li', '2026-11-27', 0, false))).toBe('09:00–17:00')
  })

  it('charts open intervals only, shortfall below zero', () => {
    const c: Coverage = { labels: ['Fri 08:30', 'Fri 09:00', 'Fri 09:30', 'Fri 10:00'], required: [0, 2, 3, 0], scheduled: [0, 2, 2, 1], under: [0, 0, 1, 0], over: [0, 0, 0, 1] }
    expect(openIntervals(c)).toEqual([1, 2, 3])
    const option = coverageChart(c, { required: 'R', scheduled: 'S', under: 'U', over: 'O' }) as { xAxis: { data: string[] } }
    expect(option.xAxis.data).toEqual(['Fri 09:00', 'Fri 09:30', 'Fri 10:00'])
    const [required, , under, over] = seriesOf(option)
    expect(required?.data).toEqual([2, 3, 0])
    expect(under?.data).toEqual([-0, -1, -0])
    expect(over?.data).toEqual([0, 0, 1])
  })
})

describe('scenario comparison', () => {
  it('compares totals with the base and flags what got worse', () => {
    const rows = scenarioTotalsRows(sim())
    const sl = rows.find((r) => r.metric === 'service_level')
    expect(sl?.values).toEqual([0.9, 0.6])
    expect(sl?.deltas[0]).toBeNull()
    expect(sl?.deltas[1]).toBeCloseTo(-0.3)
    expect(sl?.worse).toEqual([false, true])
    expect(sl?.better).toEqual([false, false])
    const asa = rows.find((r) => r.metric === 'asa_seconds')
    expect(asa?.worse).toEqual([false, true]) // a longer wait is worse
    expect(rows.find((r) => r.metric === 'offered')?.worse).toEqual([false, false])
    expect(rows.find((r) => r.metric === 'abandon_rate')?.better).toEqual([false, false]) // equal is neither
  })

  it('lists intervals with contacts, bottlenecks flagged per scenario', () => {
    const rows = scenarioIntervalRows(sim(), 'service_level')
    expect(rows.map((r) => r.label)).toEqual(['00:30', '01:00'])
    expect(rows[0]).toEqual({ index: 1, label: '00:30', agents: [5, 5], values: [0.9, 0.6], bottleneck: [false, true] })
  })

  it('relabels a staffing simulation with the forecast slots', () => {
    const out = relabel(sim(), ['09:00', '09:30', '10:00'])
    expect(out.scenarios[1]?.intervals.labels).toEqual(['09:00', '09:30', '10:00'])
    expect(out.scenarios[1]?.bottlenecks).toEqual(['09:30', '10:00'])
  })

  it('shades each scenario’s bottlenecks in the chart', () => {
    const series = seriesOf(scenarioChart(sim(), 'service_level', 'SL'))
    expect(series.map((s) => s.name)).toEqual(['base', '-2'])
    expect(series[1]?.markArea?.data).toEqual([[{ xAxis: '00:30' }, { xAxis: '00:30' }], [{ xAxis: '01:00' }, { xAxis: '01:00' }]])
  })

  it('turns the form into the API scenario', () => {
    const labels = ['09:00', '09:30', '10:00', '10:30']
    expect(scenarioBody({ ...blankScenario(' Bot '), botPercent: 10 }, labels)).toEqual({
      name: 'Bot', volume_factor: 1, bot_containment_delta: 0.1, aht_factor: 1, staff_delta: 0, first_interval: 0, last_interval: null,
    })
    expect(scenarioBody({ ...blankScenario('x'), volumePercent: 30, staffDelta: -2, from: '09:30', to: '10:00' }, labels)).toMatchObject({
      volume_factor: 1.3, staff_delta: -2, first_interval: 1, last_interval: 2,
    })
    // a range given backwards still starts at `from`
    expect(scenarioBody({ ...blankScenario('x'), from: '10:30', to: '09:00' }, labels)).toMatchObject({ first_interval: 3, last_interval: 3 })
  })
})

describe('intraday', () => {
  const day = (over: Partial<Intraday>): Intraday => ({
    queue: 'all', date: '2026-11-27', forecast_id: 'f', slots: ['09:00', '09:30', '10:00'], forecast: [20, 20, 20],
    actual: [30, null, null], reforecast: [null, 22, 22], elapsed: 1, actual_so_far: 30, forecast_so_far: 20,
    deviation: 0.5, threshold: 0.15, alert: true, interval_alerts: ['09:00'], outside_slots: 0, ...over,
  })

  it('gives the alert state', () => {
    expect(intradayState(day({}))).toBe('alert')
    expect(intradayState(day({ alert: false }))).toBe('normal')
    expect(intradayState(day({ alert: false, forecast_so_far: 5 }))).toBe('early')
  })

  it('charts actual bars, forecast and the dashed re-forecast with alerting intervals shaded', () => {
    const [actual, forecast, reforecast] = seriesOf(intradayChart(day({}), { forecast: 'F', actual: 'A', reforecast: 'R' }))
    expect(actual?.type).toBe('bar')
    expect(actual?.data).toEqual([30, null, null])
    expect(actual?.markArea?.data).toEqual([[{ xAxis: '09:00' }, { xAxis: '09:00' }]])
    expect(forecast?.data).toEqual([20, 20, 20])
    expect(reforecast?.data).toEqual([null, 22, 22])
  })
})
