/** The knowledge-base learning list (`/api/v1/bot/learning`, managers): what the bot could not
 * answer, grouped by question, to take into an FAQ or dismiss. See docs/bot.md. */
import { client } from './client'

export interface LearningCluster {
  question: string
  count: number
  examples: { text: string; count: number }[]
  turn_ids: string[]
  /** The FAQ the bot ranked first most often for these messages, when it still exists. */
  suggested_faq_id: string | null
  suggested_question: string | null
  suggested_score: number | null
  last_seen_at: string
}
export interface LearningPage {
  since: string
  items: LearningCluster[]
}

const L = '/bot/learning'

export const learningApi = {
  list: (days = 30) => client.call<LearningPage>(L, { query: { days } }),
  /** The cluster's messages become similar questions of the draft FAQ (publish to go live). */
  take: (turnIds: string[], faqId: string) =>
    client.call<{ faq_id: string; added: number; reviewed: number }>(`${L}/take`, {
      method: 'POST',
      body: { turn_ids: turnIds, faq_id: faqId },
    }),
  dismiss: (turnIds: string[]) =>
    client.call<{ reviewed: number }>(`${L}/dismiss`, { method: 'POST', body: { turn_ids: turnIds } }),
}
