// @vitest-environment happy-dom
/** The deliveries drawer of a webhook endpoint: rows as text, "Load more", "Redeliver". */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from 'vue'
import type { WebhookDelivery } from '../console/src/api/webhooks'
import WebhookDeliveries from '../console/src/components/webhooks/WebhookDeliveries.vue'
import { i18n } from '../console/src/i18n'

const PAYLOAD = '<img src=x onerror="window.__pwned=1">'

const delivery = (over: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  id: 'd1',
  event_id: 42,
  event_type: 'alert.raised',
  attempted_at: '2026-11-27T04:40:00+00:00',
  duration_ms: 12,
  status_code: 200,
  ok: true,
  error: null,
  redelivery: false,
  ...over,
})

const json = (body: unknown, status = 200): Response => new Response(JSON.stringify(body), { status })

afterEach(() => vi.unstubAllGlobals())

describe('WebhookDeliveries', () => {
  it('lists deliveries as text, loads older ones and redelivers one', async () => {
    const calls: string[] = []
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push(`${init.method ?? 'GET'} ${url}`)
      if (url.endsWith('/redeliver')) return json(delivery({ id: 'd3', redelivery: true }), 201)
      if (url.includes('before=c1')) return json({ items: [delivery({ id: 'd2', event_id: 41 })], next_cursor: null })
      const failed = delivery({ status_code: null, ok: false, error: PAYLOAD })
      return json({ items: [failed], next_cursor: 'c1' })
    })
    i18n.global.locale.value = 'en'
    const el = document.createElement('div')
    document.body.append(el)
    createApp(WebhookDeliveries, { webhookId: 'w1' }).use(i18n).mount(el)
    const rows = (): NodeListOf<Element> => el.querySelectorAll('[data-test=delivery-row]')
    await vi.waitFor(() => expect(rows()).toHaveLength(1))
    expect(calls[0]).toBe('GET /api/v1/webhooks/w1/deliveries?limit=30')
    expect(el.querySelector('[data-test=delivery-result]')?.textContent).toBe(PAYLOAD) // the error, as text
    expect(el.querySelector('img')).toBeNull()
    expect(rows()[0]!.textContent).toContain('12 ms')

    el.querySelector<HTMLButtonElement>('[data-test=deliveries-more]')!.click()
    await vi.waitFor(() => expect(rows()).toHaveLength(2))
    expect(calls[1]).toBe('GET /api/v1/webhooks/w1/deliveries?before=c1&limit=30')
    expect(rows()[1]!.querySelector('[data-test=delivery-result]')?.textContent).toBe('200')
    expect(el.querySelector('[data-test=deliveries-more]')).toBeNull() // the last page

    rows()[0]!.querySelector<HTMLButtonElement>('[data-test=redeliver]')!.click()
    await vi.waitFor(() => expect(rows()).toHaveLength(3))
    expect(calls[2]).toBe('POST /api/v1/webhooks/w1/deliveries/d1/redeliver')
    expect(rows()[0]!.querySelector('[data-test=delivery-redelivery]')?.textContent).toContain('Redelivery')
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined()
  })

  it('says when there is nothing yet', async () => {
    vi.stubGlobal('fetch', async () => json({ items: [], next_cursor: null }))
    i18n.global.locale.value = 'zh-CN'
    const el = document.createElement('div')
    document.body.append(el)
    createApp(WebhookDeliveries, { webhookId: 'w2' }).use(i18n).mount(el)
    await vi.waitFor(() => expect(el.querySelector('[data-test=deliveries-empty]')?.textContent).toBe('还没有投递记录'))
  })
})
