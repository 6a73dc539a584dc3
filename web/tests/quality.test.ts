// @vitest-environment happy-dom
import { createApp } from 'vue'
import { describe, expect, it } from 'vitest'
import type { QaHit } from '../console/src/api/quality'
import HighlightedText from '../console/src/components/quality/HighlightedText.vue'
import {
  breakdown,
  dayRange,
  formatScore,
  hitMessage,
  hitsOfMessage,
  paramOf,
  paramSummary,
  ruleBody,
  ruleProblem,
  scoreLevel,
  scoreTagType,
  segments,
  spansOf,
  type RuleForm,
} from '../console/src/quality'

const hit = (over: Partial<QaHit> = {}): QaHit => ({
  rule_id: 'r1',
  kind: 'forbidden_phrase',
  name: '禁用语',
  weight: 20,
  message_id: 'm1',
  seq: 2,
  span: [2, 5],
  detail: '不知道',
  ...over,
})

describe('segments', () => {
  it('cuts a body into plain and evidence runs', () => {
    expect(segments('我也不知道啊', [{ index: 0, span: [2, 5] }])).toEqual([
      { text: '我也', hits: [] },
      { text: '不知道', hits: [0] },
      { text: '啊', hits: [] },
    ])
  })

  it('keeps overlapping hits apart where they differ and merges equal neighbours', () => {
    const runs = segments('abcdefgh', [
      { index: 0, span: [1, 4] },
      { index: 1, span: [3, 6] },
    ])
    expect(runs).toEqual([
      { text: 'a', hits: [] },
      { text: 'bc', hits: [0] },
      { text: 'd', hits: [0, 1] },
      { text: 'ef', hits: [1] },
      { text: 'gh', hits: [] },
    ])
    expect(runs.map((r) => r.text).join('')).toBe('abcdefgh')
  })

  it('counts code points like the server, so an emoji does not shift the highlight', () => {
    const body = '😀 call 13812345678'
    const start = Array.from(body).indexOf('1')
    const runs = segments(body, [{ index: 0, span: [start, start + 11] }])
    expect(runs.find((r) => r.hits.length)?.text).toBe('13812345678')
  })

  it('clamps out-of-range spans and ignores empty or reversed ones', () => {
    expect(segments('abc', [{ index: 0, span: [1, 99] }])).toEqual([
      { text: 'a', hits: [] },
      { text: 'bc', hits: [0] },
    ])
    expect(segments('abc', [{ index: 0, span: [2, 1] }, { index: 1, span: [5, 9] }])).toEqual([{ text: 'abc', hits: [] }])
    expect(segments('', [])).toEqual([])
  })
})

describe('hits', () => {
  it('finds the hits of a message and their spans', () => {
    const hits = [hit(), hit({ kind: 'required_greeting', span: null }), hit({ message_id: 'm2' })]
    const found = hitsOfMessage(hits, 'm1')
    expect(found.map((f) => f.index)).toEqual([0, 1])
    expect(spansOf(found)).toEqual([{ index: 0, span: [2, 5] }])
  })

  it('breaks the score down by rule, each rule counted once', () => {
    const lines = breakdown([
      hit(),
      hit({ span: [7, 9] }),
      hit({ rule_id: 'r2', kind: 'sensitive_data', name: 'PII', weight: 30, detail: 'phone' }),
    ])
    expect(lines).toEqual([
      { rule_id: 'r2', name: 'PII', kind: 'sensitive_data', weight: 30, count: 1 },
      { rule_id: 'r1', name: '禁用语', kind: 'forbidden_phrase', weight: 20, count: 2 },
    ])
  })

  it('describes each hit with an i18n key', () => {
    expect(hitMessage(hit())).toEqual({ key: 'quality.hit.forbidden_phrase', values: { text: '不知道' } })
    expect(hitMessage(hit({ kind: 'first_response_over', detail: '90 s' }))).toEqual({
      key: 'quality.hit.first_response_over',
      values: { seconds: 90 },
    })
    expect(hitMessage(hit({ kind: 'bot_fallback_loop', detail: '3 fallbacks in a row' })).values).toEqual({ count: 3 })
    expect(hitMessage(hit({ kind: 'sensitive_data', detail: 'bank_card' })).key).toBe('quality.hit.sensitive_bank_card')
    expect(hitMessage(hit({ kind: 'sensitive_data', detail: 'x' })).key).toBe('quality.hit.sensitive_other')
    expect(hitMessage(hit({ kind: 'future_kind', detail: 'd' }))).toEqual({ key: 'quality.hit.other', values: { text: 'd' } })
  })
})

describe('scores', () => {
  it('formats to at most one decimal and levels them', () => {
    expect(formatScore(85)).toBe('85')
    expect(formatScore(72.5)).toBe('72.5')
    expect(formatScore(66.666)).toBe('66.7')
    expect([scoreLevel(95), scoreLevel(60), scoreLevel(59.9)]).toEqual(['good', 'fair', 'poor'])
    expect(scoreTagType(10)).toBe('danger')
  })
})

describe('rule forms', () => {
  const form = (over: Partial<RuleForm>): RuleForm => ({
    kind: 'forbidden_phrase',
    name: ' 禁用语 ',
    phrases: [' 不知道 ', ''],
    seconds: 60,
    count: 3,
    weight: 10,
    enabled: true,
    ...over,
  })

  it('sends only the parameter the kind takes', () => {
    expect(ruleBody(form({}))).toEqual({ kind: 'forbidden_phrase', name: '禁用语', params: { phrases: ['不知道'] }, weight: 10, enabled: true })
    expect(ruleBody(form({ kind: 'agent_silence_over' })).params).toEqual({ seconds: 60 })
    expect(ruleBody(form({ kind: 'transfer_bounce', count: 2.4 })).params).toEqual({ count: 2 })
    expect(ruleBody(form({ kind: 'sensitive_data' })).params).toEqual({})
    expect(paramOf('bot_unhelpful')).toBe('none')
  })

  it('names what is missing', () => {
    expect(ruleProblem(form({}))).toBeNull()
    expect(ruleProblem(form({ name: '  ' }))).toBe('quality.rules.needName')
    expect(ruleProblem(form({ phrases: [' '] }))).toBe('quality.rules.needPhrases')
    expect(ruleProblem(form({ kind: 'first_response_over', seconds: 0 }))).toBe('quality.rules.needSeconds')
    expect(ruleProblem(form({ kind: 'bot_fallback_loop', count: 0 }))).toBe('quality.rules.needCount')
  })

  it('summarises parameters', () => {
    const base = { kind: 'forbidden_phrase' as const, name: 'x', weight: 1, enabled: true }
    expect(paramSummary({ ...base, params: { phrases: ['a', 'b'] } })).toBe('a, b')
    expect(paramSummary({ ...base, params: { seconds: 60 } })).toBe('60')
    expect(paramSummary({ ...base, params: {} })).toBe('')
  })
})

describe('dayRange', () => {
  it('turns inclusive local days into a half-open instant range', () => {
    const r = dayRange('2026-11-01', '2026-11-03')
    expect(new Date(r.ended_from!).getTime()).toBe(new Date(2026, 10, 1).getTime())
    expect(new Date(r.ended_to!).getTime()).toBe(new Date(2026, 10, 4).getTime())
    expect(dayRange(null, null)).toEqual({ ended_from: null, ended_to: null })
    expect(dayRange('nonsense', null).ended_from).toBeNull()
  })
})

describe('HighlightedText', () => {
  it('renders evidence as text inside <mark>, never as HTML', () => {
    const payload = '<img src=x onerror="window.__pwned=1">'
    const body = `ok ${payload} 13812345678`
    const start = body.indexOf('138') // no astral characters here: code units = code points
    const el = document.createElement('div')
    createApp(HighlightedText, {
      text: body,
      spans: [{ index: 0, span: [3, 3 + payload.length] }, { index: 1, span: [start, start + 11] }],
      labels: { 0: payload, 1: 'phone' },
      active: 1,
    }).mount(el)
    expect(el.querySelector('img')).toBeNull()
    expect(el.textContent).toBe(body)
    const marks = [...el.querySelectorAll('mark')]
    expect(marks.map((m) => m.textContent)).toEqual([payload, '13812345678'])
    expect(marks[1]!.classList.contains('qa-mark--active')).toBe(true)
    expect(marks[0]!.getAttribute('title')).toBe(payload)
  })
})
