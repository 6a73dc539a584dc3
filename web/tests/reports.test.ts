/** Pure logic of the reports screen and of live alerts. */
import { describe, expect, it } from 'vitest'
import { applyAlertEvent, comparator, formatAlertValue, thresholdFromForm, thresholdToForm } from '../console/src/alerts'
import type { MetricUnit } from '../console/src/api/reports'
import type { AlertRule } from '../shared/alerts'
import { parseEvent } from '../shared/events'
import {
  breakdownOption, bucketFor, delta, definitionOf, exportName, formatValue, heatmapOption, presetRange, toQuery, volumeOption,
} from '../console/src/reports'

const metric = (key: string, value: number | null, previous: number | null, unit: MetricUnit = 'count') => ({
  key,
  value,
  previous,
  unit,
})

describe('metric values and deltas', () => {
  it('formats each unit', () => {
    expect(formatValue(0.7, 'ratio')).toBe('70.0%')
    expect(formatValue(125, 'seconds')).toBe('2m 05s')
    expect(formatValue(4.256, 'score')).toBe('4.26')
    expect(formatValue(12345, 'count', 'en')).toBe('12,345')
    expect(formatValue(5, 'rate')).toBe('5.0')
    expect(formatValue(null, 'ratio')).toBe('—')
  })

  it('shows ratios in percentage points and the rest in per cent, toned by what is good', () => {
    expect(delta(metric('service_level', 0.8, 0.7, 'ratio'))).toEqual({ text: '+10.0 pp', trend: 'up', tone: 'good' })
    expect(delta(metric('abandonment_rate', 0.2, 0.1, 'ratio'))).toEqual({ text: '+10.0 pp', trend: 'up', tone: 'bad' })
    expect(delta(metric('asa', 30, 40, 'seconds'))).toEqual({ text: '-25%', trend: 'down', tone: 'good' })
    expect(delta(metric('conversations', 105, 100))).toEqual({ text: '+5.0%', trend: 'up', tone: 'neutral' })
    expect(delta(metric('csat', 4, 4, 'score'))).toEqual({ text: '0%', trend: 'flat', tone: 'neutral' })
  })

  it('has no delta without a basis', () => {
    expect(delta(metric('conversations', 10, null))).toBeNull()
    expect(delta(metric('conversations', null, 3))).toBeNull()
    expect(delta(metric('conversations', 10, 0))).toBeNull()
    expect(delta(metric('conversations', 0, 0))?.trend).toBe('flat')
  })

  it('picks the definition in the interface language', () => {
    const m = { definition_en: 'Average wait', definition_zh: '平均等待' }
    expect(definitionOf(m, 'zh-CN')).toBe('平均等待')
    expect(definitionOf(m, 'en')).toBe('Average wait')
  })
})

describe('periods and queries', () => {
  const now = new Date('2026-11-11T10:30:00Z')

  it('builds preset ranges ending now and picks the bucket', () => {
    const [start, end] = presetRange('7d', now)
    expect(end.getTime() - start.getTime()).toBe(7 * 86_400_000)
    expect(bucketFor(start, end)).toBe('day')
    const [today] = presetRange('today', now)
    expect(today.getHours()).toBe(0)
    expect(bucketFor(today, now)).toBe('hour')
  })

  it('sends only the filters that are set, as instants with a zone', () => {
    const q = toQuery({ range: [new Date('2026-11-01T00:00:00Z'), now], channel: 'widget', teamId: null, agentId: 'a1' })
    expect(q).toEqual({ start: '2026-11-01T00:00:00.000Z', end: '2026-11-11T10:30:00.000Z', channel: 'widget', agent_id: 'a1' })
    expect(exportName('volume', q, 'xlsx')).toBe('kefu-volume-2026-11-01_2026-11-11.xlsx')
  })
})

describe('chart options', () => {
  it('draws conversations and messages on two axes', () => {
    const option = volumeOption([{ bucket: '2026-11-11', conversations: 3, messages: 12 }], { conversations: 'C', messages: 'M' }) as {
      xAxis: { data: string[] }
      series: { data: number[]; yAxisIndex?: number }[]
    }
    expect(option.xAxis.data).toEqual(['2026-11-11'])
    expect(option.series.map((s) => s.data)).toEqual([[3], [12]])
    expect(option.series[1]?.yAxisIndex).toBe(1)
  })

  it('fills all 168 heat-map cells, Monday first', () => {
    const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
    const option = heatmapOption([{ weekday: 2, hour: 10, conversations: 7 }], days, 'C') as {
      series: { data: [number, number, number][] }[]
      visualMap: { max: number }
    }
    const data = option.series[0]?.data ?? []
    expect(data).toHaveLength(168)
    expect(data.find(([h, d]) => h === 10 && d === 2)?.[2]).toBe(7)
    expect(option.visualMap.max).toBe(7)
  })

  it('ranks breakdown bars and names the unassigned group', () => {
    const row = (key: string | null, name: string | null, conversations: number) => ({
      key, name, conversations, messages: 0, queued: 1, service_level: null, abandonment_rate: null,
      first_response_time: null, handle_time: null,
    })
    const option = breakdownOption([row('a', 'Ann', 2), row(null, null, 5)], { conversations: 'C', queued: 'Q' }, '(none)') as {
      yAxis: { data: string[] }
    }
    expect(option.yAxis.data).toEqual(['(none)', 'Ann'])
  })
})

describe('live alerts', () => {
  const rule = (id: string, since: string | null): AlertRule => ({
    id, name: id, metric: 'waiting', threshold: 3, enabled: true, firing_since: since, last_value: null, created_at: '2026-11-11T00:00:00Z',
  })

  it('keeps the firing list from raised and cleared events', () => {
    let firing = applyAlertEvent([], 'alert.raised', { rule: rule('b', '2026-11-11T10:05:00Z'), value: 4 })
    firing = applyAlertEvent(firing, 'alert.raised', { rule: rule('a', '2026-11-11T10:00:00Z'), value: 9 })
    firing = applyAlertEvent(firing, 'alert.raised', { rule: rule('a', '2026-11-11T10:00:00Z'), value: 9 })
    expect(firing.map((r) => [r.id, r.last_value])).toEqual([['a', 9], ['b', 4]])
    expect(applyAlertEvent(firing, 'alert.cleared', { rule: rule('a', null), value: 1 }).map((r) => r.id)).toEqual(['b'])
  })

  it('reads thresholds in the metric unit', () => {
    expect(comparator('service_level')).toBe('<')
    expect(comparator('waiting')).toBe('>')
    expect(formatAlertValue('service_level', 0.8)).toBe('80%')
    expect(formatAlertValue('longest_wait', 120)).toBe('2m 00s')
    expect(formatAlertValue('waiting', null)).toBe('—')
    expect(thresholdToForm('service_level', 0.85)).toBe(85)
    expect(thresholdFromForm('service_level', 85)).toBe(0.85)
    expect(thresholdFromForm('waiting', 5)).toBe(5)
  })

  it('validates alert events from the socket', () => {
    const frame = (data: unknown) => JSON.stringify({ id: 7, type: 'alert.raised', data })
    expect(parseEvent(frame({ rule: rule('a', '2026-11-11T10:00:00Z'), value: 4 }))?.type).toBe('alert.raised')
    expect(parseEvent(frame({ rule: { ...rule('a', null), metric: 'cpu' }, value: 4 }))).toBeNull()
    expect(parseEvent(frame({ rule: rule('a', null), value: '4' }))).toBeNull()
  })
})
