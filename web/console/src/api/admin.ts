/** Typed endpoints and shapes of the administration screens (users, teams, inboxes, KB, bot, quick replies). */
import type { Role } from '../../../shared/types'
import { client } from './client'

export interface User {
  id: string
  email: string
  name: string
  role: Role
  active: boolean
  languages: string[]
  skills: string[]
  max_concurrent: number
  team_ids: string[]
}
export type UserCreate = Omit<User, 'id' | 'active'> & { password: string }
export type UserUpdate = Partial<Omit<User, 'id' | 'email'>> & { password?: string }

export interface Team {
  id: string
  name: string
  skills: string[]
  member_ids: string[]
}

export interface InboxSettings {
  greeting?: Record<string, string>
  color?: string
  languages?: string[]
  bot_enabled?: boolean
  [key: string]: unknown
}
export interface Inbox {
  id: string
  name: string
  channel_type: string
  widget_key: string
  allowed_origins: string[]
  settings: InboxSettings
  created_at: string
}

export interface Category {
  id: string
  name: string
  parent_id: string | null
  position: number
}
export interface FaqIn {
  category_id: string | null
  question_zh: string
  question_en: string
  similar_zh: string[]
  similar_en: string[]
  answer_zh: string
  answer_en: string
  tags: string[]
  enabled: boolean
}
export interface Faq extends FaqIn {
  id: string
  updated_at: string
}
export interface FaqPage {
  items: Faq[]
  next_cursor: string | null
  total: number
}
export interface KbVersion {
  id: string
  number: number
  note: string
  faq_count: number
  created_at: string
  live: boolean
}
export interface KbStatus {
  live_version: KbVersion | null
  draft_changed_at: string | null
  unpublished_changes: boolean
}
export interface DictionaryWord {
  word: string
  synonyms: string[]
}
/** One problem of a refused import (the 422 body's `errors`). */
export interface ImportRowError {
  row: number
  column: string | null
  reason: string
}

export interface BotConfig {
  answer_threshold: number
  clarify_threshold: number
  fallback_handoff_after: number
  handoff_on_negative: boolean
}

export interface QuickReply {
  id: string
  shortcut: string
  title: string
  body: string
}
export type QuickReplyIn = Omit<QuickReply, 'id'>

export interface RoutingSettings {
  auto_assign: boolean
  strategy: 'round_robin' | 'least_busy'
  match_skills: boolean
  match_language: boolean
  vip_tags: string[]
  vip_priority: number
  prioritise_negative: boolean
  negative_priority: number
  sticky: boolean
  overflow_after_seconds: number | null
  overflow_team_id: string | null
  presence_grace_seconds: number
  contact_grace_seconds: number
  first_response_seconds: number
}

/** A routing rule: conditions (all given ones must match) → team, skills and priority. */
export interface RoutingRuleIn {
  name: string
  position: number
  enabled: boolean
  inbox_ids: string[]
  languages: string[]
  tags: string[]
  intents: string[]
  handoff_reasons: string[]
  team_id: string | null
  required_skills: string[]
  priority: number
}
export interface RoutingRule extends RoutingRuleIn {
  id: string
}

export interface TeamRouting {
  strategy: 'round_robin' | 'least_busy' | null
  overflow_after_seconds: number | null
  overflow_team_id: string | null
}

export interface BusinessHours {
  enabled: boolean
  weekly: Record<string, { start: string; end: string }[]>
  holidays: { date: string; name: string; hours: { start: string; end: string }[] | null }[]
  workdays: { date: string; name: string; hours: { start: string; end: string }[] | null }[]
  makeup_weekday: number
  off_hours_message: Partial<Record<'zh-CN' | 'en', string>>
  timezone?: string
  open_now?: boolean
  next_open?: string | null
}

const id = encodeURIComponent
const send = <T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> =>
  client.call<T>(path, { method, body })

function upload<T>(path: string, file: File, query?: Record<string, string>): Promise<T> {
  const form = new FormData()
  form.append('file', file)
  return client.call<T>(path, { method: 'POST', body: form, query })
}

export const adminApi = {
  users: () => client.call<User[]>('/users'),
  createUser: (body: UserCreate) => send<User>('POST', '/users', body),
  updateUser: (userId: string, body: UserUpdate) => send<User>('PATCH', `/users/${id(userId)}`, body),

  teams: () => client.call<Team[]>('/teams'),
  createTeam: (body: { name: string; skills: string[] }) => send<Team>('POST', '/teams', body),
  updateTeam: (teamId: string, body: { name: string; skills: string[] }) => send<Team>('PUT', `/teams/${id(teamId)}`, body),

  inboxes: () => client.call<Inbox[]>('/inboxes'),
  updateInbox: (inboxId: string, body: Partial<Pick<Inbox, 'name' | 'allowed_origins' | 'settings'>>) =>
    send<Inbox>('PATCH', `/inboxes/${id(inboxId)}`, body),

  categories: () => client.call<Category[]>('/kb/categories'),
  createCategory: (name: string) => send<Category>('POST', '/kb/categories', { name, parent_id: null, position: 0 }),
  faqs: (query: { q?: string; category_id?: string | null; cursor?: string | null; limit?: number }) =>
    client.call<FaqPage>('/kb/faqs', { query: { ...query, limit: query.limit ?? 20 } }),
  createFaq: (body: FaqIn) => send<Faq>('POST', '/kb/faqs', body),
  updateFaq: (faqId: string, body: FaqIn) => send<Faq>('PUT', `/kb/faqs/${id(faqId)}`, body),
  deleteFaq: (faqId: string) => send<null>('DELETE', `/kb/faqs/${id(faqId)}`),
  importFaqs: (file: File) => upload<{ created: number; updated: number }>('/kb/import', file),
  exportFaqs: (format: 'xlsx' | 'csv') => client.blob('/kb/export', { query: { format } }),
  template: (format: 'xlsx' | 'csv') => client.blob('/kb/template', { query: { format } }),
  kbStatus: () => client.call<KbStatus>('/kb/status'),
  publish: (note: string) => send<KbVersion>('POST', '/kb/publish', { note }),
  versions: () => client.call<KbVersion[]>('/kb/versions'),
  rollback: (versionId: string) => send<KbVersion>('POST', `/kb/versions/${id(versionId)}/rollback`),
  dictionary: () => client.call<DictionaryWord[]>('/kb/dictionary'),
  saveDictionary: (words: DictionaryWord[]) => send<DictionaryWord[]>('PUT', '/kb/dictionary', { words }),

  routingSettings: () => client.call<RoutingSettings>('/routing/settings'),
  saveRoutingSettings: (body: RoutingSettings) => send<RoutingSettings>('PUT', '/routing/settings', body),
  routingRules: () => client.call<RoutingRule[]>('/routing/rules'),
  createRoutingRule: (body: RoutingRuleIn) => send<RoutingRule>('POST', '/routing/rules', body),
  updateRoutingRule: (ruleId: string, body: RoutingRuleIn) => send<RoutingRule>('PUT', `/routing/rules/${id(ruleId)}`, body),
  deleteRoutingRule: (ruleId: string) => send<null>('DELETE', `/routing/rules/${id(ruleId)}`),
  teamRouting: (teamId: string) => client.call<TeamRouting>(`/routing/teams/${id(teamId)}`),
  saveTeamRouting: (teamId: string, body: TeamRouting) => send<TeamRouting>('PUT', `/routing/teams/${id(teamId)}`, body),
  businessHours: () => client.call<BusinessHours>('/business-hours'),
  saveBusinessHours: (body: BusinessHours) => send<BusinessHours>('PUT', '/business-hours', body),

  botConfig: () => client.call<BotConfig>('/bot/config'),
  saveBotConfig: (body: BotConfig) => send<BotConfig>('PUT', '/bot/config', body),

  quickReplies: () => client.call<QuickReply[]>('/quick-replies'),
  createQuickReply: (body: QuickReplyIn) => send<QuickReply>('POST', '/quick-replies', body),
  updateQuickReply: (replyId: string, body: QuickReplyIn) => send<QuickReply>('PUT', `/quick-replies/${id(replyId)}`, body),
  deleteQuickReply: (replyId: string) => send<null>('DELETE', `/quick-replies/${id(replyId)}`),
}
