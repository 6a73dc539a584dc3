// @vitest-environment happy-dom
/** Console stores and the API client over a stubbed fetch: auth refresh, inbox rules, sending. */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { client } from '../console/src/api/client'
import { useConversationStore } from '../console/src/stores/conversation'
import { useInboxStore } from '../console/src/stores/inbox'
import { useSessionStore } from '../console/src/stores/session'
import type { Message, TokenPair } from '../shared/types'
import { conversation, message } from './fixtures'

type Route = (url: URL, init: RequestInit, body: Record<string, unknown> | null) => Response | Promise<Response>
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status })
const calls: string[] = []

function serve(routes: Record<string, Route>): void {
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://console.test')
    const key = `${init.method ?? 'GET'} ${url.pathname}`
    calls.push(`${key} ${new Headers(init.headers).get('Authorization') ?? ''}`.trim())
    const route = routes[key]
    const body = init.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : null
    return route ? route(url, init, body) : json({ code: 'not_found', message: key }, 404)
  })
}

const tokens = (n: number): TokenPair => ({ access_token: `a${n}`, refresh_token: `r${n}`, token_type: 'bearer', expires_in: 900 })
const me = { id: 'me', tenant_id: 't', name: 'Li Na', email: 'a@b.c', role: 'agent', languages: [], max_concurrent: 3 }

beforeEach(() => {
  setActivePinia(createPinia())
  localStorage.clear()
  client.setTokens(null)
  calls.length = 0
})
afterEach(() => vi.unstubAllGlobals())

describe('API client', () => {
  it('refreshes once on 401, retries, and shares the refresh between concurrent calls', async () => {
    client.setTokens(tokens(1))
    serve({
      'GET /api/v1/me': (_u, init) =>
        new Headers(init.headers).get('Authorization') === 'Bearer a2' ? json(me) : json({ code: 'unauthorized' }, 401),
      'POST /api/v1/auth/refresh': (_u, _i, body) => (body?.refresh_token === 'r1' ? json(tokens(2)) : json({}, 401)),
    })
    const [a, b] = await Promise.all([useSessionStore().loadMe(), client.call('/me')])
    expect(a).toEqual(me)
    expect(b).toEqual(me)
    expect(calls.filter((c) => c.startsWith('POST /api/v1/auth/refresh'))).toHaveLength(1)
    expect(JSON.parse(localStorage.getItem('kefu.console.tokens')!).access_token).toBe('a2')
  })

  it('signs out when the refresh token is refused', async () => {
    client.setTokens(tokens(1))
    serve({
      'GET /api/v1/me': () => json({ code: 'unauthorized', message: 'no' }, 401),
      'POST /api/v1/auth/refresh': () => json({ code: 'unauthorized', message: 'no' }, 401),
    })
    const session = useSessionStore()
    await expect(session.loadMe()).rejects.toMatchObject({ status: 401 })
    expect(session.signedIn).toBe(false)
    expect(client.signedIn).toBe(false)
  })

  it('sends Accept-Language and turns error bodies into ApiError', async () => {
    serve({ 'POST /api/v1/auth/login': () => json({ code: 'invalid_credentials', message: '邮箱或密码错误' }, 401) })
    const seen: string[] = []
    const inner = globalThis.fetch
    vi.stubGlobal('fetch', (input: string, init: RequestInit) => {
      seen.push(new Headers(init.headers).get('Accept-Language') ?? '')
      return inner(input, init)
    })
    await expect(useSessionStore().login('a@b.c', 'x')).rejects.toMatchObject({ code: 'invalid_credentials', message: '邮箱或密码错误' })
    expect(['zh-CN', 'en']).toContain(seen[0])
  })
})

describe('inbox store', () => {
  it('loads a view and applies live changes by the view rules', async () => {
    client.setTokens(tokens(1))
    const listed = [conversation({ id: 'a', assignee_id: 'me', status: 'assigned', updated_at: '2026-11-26T10:00:00Z' })]
    serve({ 'GET /api/v1/conversations': (url) => (url.searchParams.get('view') === 'mine' ? json({ items: listed, next_cursor: null }) : json({}, 400)) })
    useSessionStore().me = me as never
    const inbox = useInboxStore()
    await inbox.load()
    expect(inbox.items.map((c) => c.id)).toEqual(['a'])

    inbox.upsert(conversation({ id: 'b', assignee_id: 'me', status: 'assigned', updated_at: '2026-11-26T11:00:00Z' }))
    expect(inbox.items.map((c) => c.id)).toEqual(['b', 'a'])
    inbox.upsert(conversation({ id: 'a', assignee_id: 'other', status: 'assigned' })) // transferred away
    expect(inbox.items.map((c) => c.id)).toEqual(['b'])
    inbox.noteMessage(message({ conversation_id: 'b', body: 'new text', created_at: '2026-11-26T12:00:00Z' }))
    expect(inbox.items[0]?.last_message_preview).toBe('new text')
    inbox.noteMessage(message({ conversation_id: 'b', body: 'secret', private: true }))
    expect(inbox.items[0]?.last_message_preview).toBe('new text')
  })
})

describe('conversation store', () => {
  it('sends with a client_msg_id, marks failures, and retries with the same id', async () => {
    client.setTokens(tokens(1))
    let fail = true
    const posted: Record<string, unknown>[] = []
    serve({
      'GET /api/v1/conversations/c1': () => json(conversation({ id: 'c1' })),
      'GET /api/v1/conversations/c1/messages': () => json({ items: [message({ seq: 1 })] }),
      'POST /api/v1/conversations/c1/messages': (_u, _i, body) => {
        posted.push(body!)
        if (fail) return json({ code: 'unavailable', message: 'try again' }, 503)
        const m: Message = message({ id: 'srv', seq: 2, sender_type: 'agent', body: String(body!.body), client_msg_id: String(body!.client_msg_id) })
        return json(m, 201)
      },
    })
    const store = useConversationStore()
    await store.open('c1')
    await store.send('  hello  ', false)
    expect(store.items.map((m) => [m.body, m.delivery])).toEqual([
      ['hello 1', 'sent'],
      ['hello', 'failed'],
    ])
    fail = false
    await store.retry(store.items[1]!)
    expect(store.items.map((m) => [m.id, m.delivery])).toEqual([
      ['m1', 'sent'],
      ['srv', 'sent'],
    ])
    expect(posted[0]!.client_msg_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(posted[1]!.client_msg_id).toBe(posted[0]!.client_msg_id)
    expect(posted[0]).toMatchObject({ body: 'hello', private: false })
  })

  it('ignores messages of other conversations and shows contact typing briefly', async () => {
    vi.useFakeTimers()
    client.setTokens(tokens(1))
    serve({
      'GET /api/v1/conversations/c1': () => json(conversation({ id: 'c1' })),
      'GET /api/v1/conversations/c1/messages': () => json({ items: [] }),
    })
    const store = useConversationStore()
    await store.open('c1')
    store.receive(message({ conversation_id: 'other' }))
    expect(store.items).toEqual([])
    store.setContactTyping(true)
    expect(store.contactTyping).toBe(true)
    vi.advanceTimersByTime(6000)
    expect(store.contactTyping).toBe(false)
    vi.useRealTimers()
  })
})
