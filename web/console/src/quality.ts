/** Pure helpers of the quality screens: evidence highlighting, score breakdown and formatting,
 * rule parameters and date ranges (unit-tested in web/tests/quality.test.ts). */
import type { QaHit, QaRuleIn, RuleKind } from './api/quality'

/** A run of a message body; `hits` are the indexes (into the result's hits) covering it. */
export interface Segment {
  text: string
  hits: number[]
}

/**
 * Cuts `body` into runs at every span boundary so each run is plain text or evidence, to be
 * rendered as text nodes (never HTML). Offsets are code points, as the server (Python) counts
 * them, so an emoji before a hit does not shift the highlight. Empty, reversed or out-of-range
 * spans are clamped or ignored.
 */
export function segments(body: string, spans: readonly { index: number; span: readonly [number, number] }[]): Segment[] {
  const chars = Array.from(body)
  const valid = spans
    .map((s) => ({ index: s.index, start: Math.max(0, s.span[0]), end: Math.min(chars.length, s.span[1]) }))
    .filter((s) => s.end > s.start)
  const cuts = new Set<number>([0, chars.length])
  for (const s of valid) cuts.add(s.start).add(s.end)
  const points = [...cuts].sort((a, b) => a - b)
  const out: Segment[] = []
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!
    const end = points[i + 1]!
    const hits = valid.filter((s) => s.start <= start && s.end >= end).map((s) => s.index)
    const last = out[out.length - 1]
    const text = chars.slice(start, end).join('')
    if (last && sameHits(last.hits, hits)) last.text += text
    else out.push({ text, hits })
  }
  return out
}

function sameHits(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/** The hits that point at a message, with their index in the result's hit list. */
export function hitsOfMessage(hits: readonly QaHit[], messageId: string): { index: number; hit: QaHit }[] {
  return hits.flatMap((hit, index) => (hit.message_id === messageId ? [{ index, hit }] : []))
}

/** The highlightable spans of one message's hits (hits without a span mark the whole message). */
export function spansOf(found: readonly { index: number; hit: QaHit }[]): { index: number; span: [number, number] }[] {
  return found.flatMap(({ index, hit }) => (hit.span ? [{ index, span: hit.span }] : []))
}

export interface RuleLine {
  rule_id: string
  name: string
  kind: string
  weight: number
  count: number
}

/** Score breakdown: one line per rule with a hit; each rule costs its weight once, however
 * many hits it has (as the server scores). */
export function breakdown(hits: readonly QaHit[]): RuleLine[] {
  const lines = new Map<string, RuleLine>()
  for (const h of hits) {
    const line = lines.get(h.rule_id)
    if (line) line.count += 1
    else lines.set(h.rule_id, { rule_id: h.rule_id, name: h.name, kind: h.kind, weight: h.weight, count: 1 })
  }
  return [...lines.values()].sort((a, b) => b.weight - a.weight || a.name.localeCompare(b.name))
}

/** 85 → "85", 72.5 → "72.5", 66.666 → "66.7". */
export function formatScore(score: number): string {
  return String(Math.round(score * 10) / 10)
}

export type ScoreLevel = 'good' | 'fair' | 'poor'

export function scoreLevel(score: number): ScoreLevel {
  return score >= 90 ? 'good' : score >= 60 ? 'fair' : 'poor'
}

const TAG_TYPES = { good: 'success', fair: 'warning', poor: 'danger' } as const

/** Element Plus tag type of a score. */
export function scoreTagType(score: number): (typeof TAG_TYPES)[ScoreLevel] {
  return TAG_TYPES[scoreLevel(score)]
}

/** The i18n key and values describing one hit (the server's `detail` is not user language). */
export function hitMessage(hit: QaHit): { key: string; values: Record<string, string | number> } {
  const number = Number.parseFloat(hit.detail)
  switch (hit.kind) {
    case 'forbidden_phrase':
      return { key: 'quality.hit.forbidden_phrase', values: { text: hit.detail } }
    case 'first_response_over':
    case 'agent_silence_over':
      return { key: `quality.hit.${hit.kind}`, values: { seconds: Number.isFinite(number) ? number : '?' } }
    case 'bot_fallback_loop':
    case 'transfer_bounce':
      return { key: `quality.hit.${hit.kind}`, values: { count: Number.isFinite(number) ? number : '?' } }
    case 'sensitive_data':
      return { key: `quality.hit.sensitive_${['phone', 'id_number', 'bank_card'].includes(hit.detail) ? hit.detail : 'other'}`, values: {} }
    case 'required_greeting':
    case 'required_closing':
    case 'negative_without_empathy':
    case 'bot_unhelpful':
      return { key: `quality.hit.${hit.kind}`, values: {} }
    default:
      return { key: 'quality.hit.other', values: { text: hit.detail } }
  }
}

export type ParamKind = 'phrases' | 'seconds' | 'count' | 'none'

/** Which parameter a rule kind takes (mirrors kefu/quality/schemas.py). */
export function paramOf(kind: RuleKind): ParamKind {
  switch (kind) {
    case 'forbidden_phrase':
    case 'required_greeting':
    case 'required_closing':
    case 'negative_without_empathy':
      return 'phrases'
    case 'first_response_over':
    case 'agent_silence_over':
      return 'seconds'
    case 'bot_fallback_loop':
    case 'transfer_bounce':
      return 'count'
    default:
      return 'none'
  }
}

export interface RuleForm {
  kind: RuleKind
  name: string
  phrases: string[]
  seconds: number
  count: number
  weight: number
  enabled: boolean
}

/** The request body of a rule form: only the parameter its kind takes. */
export function ruleBody(form: RuleForm): QaRuleIn {
  const param = paramOf(form.kind)
  const params =
    param === 'phrases'
      ? { phrases: form.phrases.map((p) => p.trim()).filter(Boolean) }
      : param === 'seconds'
        ? { seconds: form.seconds }
        : param === 'count'
          ? { count: Math.round(form.count) }
          : {}
  return { kind: form.kind, name: form.name.trim(), params, weight: form.weight, enabled: form.enabled }
}

/** What is wrong with a rule form (an i18n key), or null. */
export function ruleProblem(form: RuleForm): string | null {
  const body = ruleBody(form)
  if (!body.name) return 'quality.rules.needName'
  const param = paramOf(form.kind)
  if (param === 'phrases' && !body.params.phrases?.length) return 'quality.rules.needPhrases'
  if (param === 'seconds' && !(form.seconds > 0)) return 'quality.rules.needSeconds'
  if (param === 'count' && !(form.count >= 1)) return 'quality.rules.needCount'
  return null
}

/** A short summary of a rule's parameter for the list: "不知道, 不清楚" · "60" · "3" · "". */
export function paramSummary(rule: QaRuleIn): string {
  const p = rule.params
  if (p.phrases) return p.phrases.join(', ')
  if (p.seconds !== undefined) return String(p.seconds)
  if (p.count !== undefined) return String(p.count)
  return ''
}

/** Two local calendar days ("YYYY-MM-DD", inclusive) → an instant range [from, to) in ISO. */
export function dayRange(from: string | null, to: string | null): { ended_from: string | null; ended_to: string | null } {
  const start = (day: string, plus: number): string | null => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
    if (!m) return null
    return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plus).toISOString()
  }
  return { ended_from: from ? start(from, 0) : null, ended_to: to ? start(to, 1) : null }
}
