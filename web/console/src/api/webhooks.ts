/** Typed endpoints of outbound webhooks (`/api/v1/webhooks`, admins): see docs/webhooks.md. */
import { client } from './client'

export interface WebhookIn {
  url: string
  event_types: string[]
  enabled: boolean
}
export interface Webhook extends WebhookIn {
  id: string
  last_event_id: number
  last_attempt_at: string | null
  last_delivered_at: string | null
  last_error: string | null
  failures: number
  retry_at: string | null
  created_at: string
}
/** Only the answer to a create (or a rotation) carries the signing secret; it is never shown again. */
export interface WebhookCreated extends Webhook {
  secret: string
}

const W = '/webhooks'
const one = (id: string): string => `${W}/${encodeURIComponent(id)}`

export const webhooksApi = {
  list: () => client.call<Webhook[]>(W),
  create: (body: WebhookIn) => client.call<WebhookCreated>(W, { method: 'POST', body }),
  update: (id: string, body: Partial<WebhookIn>) => client.call<Webhook>(one(id), { method: 'PATCH', body }),
  remove: (id: string) => client.call<void>(one(id), { method: 'DELETE' }),
  /** A new signing secret, shown this once; the old one stops at once. */
  rotateSecret: (id: string) => client.call<WebhookCreated>(`${one(id)}/secret`, { method: 'POST' }),
}
