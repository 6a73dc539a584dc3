/** Typed endpoints of quality inspection: rules, results, overrides and re-inspection. */
import { client } from './client'

export const RULE_KINDS = [
  'forbidden_phrase',
  'required_greeting',
  'required_closing',
  'first_response_over',
  'agent_silence_over',
  'negative_without_empathy',
  'bot_unhelpful',
  'bot_fallback_loop',
  'transfer_bounce',
  'sensitive_data',
] as const
export type RuleKind = (typeof RULE_KINDS)[number]

export interface QaRuleIn {
  kind: RuleKind
  name: string
  params: { phrases?: string[]; seconds?: number; count?: number }
  weight: number
  enabled: boolean
}
export interface QaRule extends QaRuleIn {
  id: string
}

/** One rule hit; `span` holds code-point offsets into the message body (Python string indices). */
export interface QaHit {
  rule_id: string
  kind: RuleKind | string
  name: string
  weight: number
  message_id: string | null
  seq: number | null
  span: [number, number] | null
  detail: string
}

export interface QaResult {
  id: string
  conversation_id: string
  agent_id: string | null
  score: number
  final_score: number
  hits: QaHit[]
  inspected_at: string
  ended_at: string | null
  contact_name: string
  reviewed: boolean
  override_score: number | null
  override_comment: string
  overridden_by: string | null
  overridden_at: string | null
}

export interface ResultQuery {
  agent_id?: string | null
  ended_from?: string | null
  ended_to?: string | null
  min_score?: number | null
  max_score?: number | null
  rule_id?: string | null
  reviewed?: boolean | null
  limit?: number
  offset?: number
}

export interface ReinspectIn {
  conversation_ids?: string[]
  ended_from?: string | null
  ended_to?: string | null
}

const rule = (id: string): string => `/quality/rules/${encodeURIComponent(id)}`
const result = (id: string): string => `/quality/results/${encodeURIComponent(id)}`
const flag = (v: boolean | null | undefined): string | undefined => (v === null || v === undefined ? undefined : String(v))

export const qualityApi = {
  rules: () => client.call<QaRule[]>('/quality/rules'),
  createRule: (body: QaRuleIn) => client.call<QaRule>('/quality/rules', { method: 'POST', body }),
  updateRule: (id: string, body: QaRuleIn) => client.call<QaRule>(rule(id), { method: 'PUT', body }),
  deleteRule: (id: string) => client.call<void>(rule(id), { method: 'DELETE' }),

  results: (q: ResultQuery) =>
    client.call<QaResult[]>('/quality/results', {
      query: {
        agent_id: q.agent_id,
        ended_from: q.ended_from,
        ended_to: q.ended_to,
        min_score: q.min_score,
        max_score: q.max_score,
        rule_id: q.rule_id,
        reviewed: flag(q.reviewed),
        limit: q.limit,
        offset: q.offset,
      },
    }),
  result: (id: string) => client.call<QaResult>(result(id)),
  override: (id: string, body: { score: number; comment: string }) =>
    client.call<QaResult>(`${result(id)}/override`, { method: 'POST', body }),
  reinspect: (body: ReinspectIn) => client.call<{ queued: number }>('/quality/reinspect', { method: 'POST', body }),
  ofConversation: (conversationId: string) =>
    client.call<QaResult>(`/conversations/${encodeURIComponent(conversationId)}/quality`),
}
