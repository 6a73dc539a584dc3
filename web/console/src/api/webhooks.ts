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
  /** After a rotation with a grace period: until when deliveries also carry the old signature. */
  previous_secret_until: string | null
  created_at: string
}
/** Only the answer to a create (or a rotation) carries the signing secret; it is never shown again. */
export interface WebhookCreated extends Webhook {
  secret: string
}

/** One POST of one event (newest first in the log); `status_code` is null when no receiver answered. */
export interface WebhookDelivery {
  id: string
  event_id: number
  event_type: string
  attempted_at: string
  duration_ms: number
  status_code: number | null
  ok: boolean
  error: string | null
  redelivery: boolean
}
export interface WebhookDeliveryPage {
  items: WebhookDelivery[]
  /** Pass as `before` for the next (older) page; null on the last one. */
  next_cursor: string | null
}

const W = '/webhooks'
const one = (id: string): string => `${W}/${encodeURIComponent(id)}`

export const webhooksApi = {
  list: () => client.call<Webhook[]>(W),
  create: (body: WebhookIn) => client.call<WebhookCreated>(W, { method: 'POST', body }),
  update: (id: string, body: Partial<WebhookIn>) => client.call<Webhook>(one(id), { method: 'PATCH', body }),
  remove: (id: string) => client.call<void>(one(id), { method: 'DELETE' }),
  /** A new signing secret, shown this once; the old one keeps signing beside it for
   * `graceHours` (0: it stops at once). */
  rotateSecret: (id: string, graceHours = 0) =>
    client.call<WebhookCreated>(`${one(id)}/secret`, { method: 'POST', body: { grace_hours: graceHours } }),
  deliveries: (id: string, before: string | null = null, limit = 30) =>
    client.call<WebhookDeliveryPage>(`${one(id)}/deliveries`, { query: { before, limit } }),
  /** POSTs the event again now, signed with the current secret; the answer is the new log row. */
  redeliver: (id: string, deliveryId: string) =>
    client.call<WebhookDelivery>(`${one(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, { method: 'POST' }),
}
