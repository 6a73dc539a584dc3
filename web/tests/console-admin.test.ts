// @vitest-environment happy-dom
/** Pure helpers of the admin screens, quick replies, the 360° panel and the supervisor monitor. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  adminPagesFor, embedSnippet, formatIntervals, importErrors, isColor, isOrigin, navFor, parseIntervals, parseList, roleAllows,
} from '../console/src/admin/logic'
import { attributeRows, setAttribute } from '../console/src/contact'
import { formatDuration } from '../console/src/format'
import { agentLoad, queueStats } from '../console/src/monitor'
import { insertReply, isShortcut, matchReplies, shortcutQuery } from '../console/src/quick-replies'
import { ApiError, requestBlob, requestJson } from '../shared/http'
import { splitBold, stripBold } from '../shared/text'
import { conversation } from './fixtures'

afterEach(() => vi.unstubAllGlobals())

describe('admin helpers', () => {
  it('builds the embed snippet and escapes attribute values', () => {
    expect(embedSnippet('https://kefu.example.com', 'KEY1')).toBe(
      '<script src="https://kefu.example.com/widget/kefu-widget.js" data-widget-key="KEY1" async></script>',
    )
    expect(embedSnippet('https://a', 'x"><img>')).not.toContain('"><img>')
  })

  it('parses lists and validates origins and colours', () => {
    expect(parseList(' a, b\nc；a ,, ')).toEqual(['a', 'b', 'c'])
    expect(isOrigin('https://shop.example.com')).toBe(true)
    expect(isOrigin('http://127.0.0.1:8000')).toBe(true)
    expect(isOrigin('https://shop.example.com/path')).toBe(false)
    expect(isOrigin('javascript:alert(1)')).toBe(false)
    expect(isColor('#1f6feb')).toBe(true)
    expect(isColor('red;background:url(x)')).toBe(false)
  })

  it('reads the per-row report of a refused import', () => {
    const err = new ApiError(422, 'import_invalid', 'bad', {
      code: 'import_invalid',
      errors: [{ row: 3, column: 'answer_zh', reason: 'empty' }, { row: 5, reason: 'duplicate' }],
    })
    expect(importErrors(err)).toEqual([
      { row: 3, column: 'answer_zh', reason: 'empty' },
      { row: 5, column: null, reason: 'duplicate' },
    ])
    expect(importErrors(new ApiError(500, 'x', 'y'))).toBeNull()
    expect(importErrors(new Error('x'))).toBeNull()
  })

  it('shows navigation by role', () => {
    expect(navFor('agent')).toEqual(['inbox', 'tickets', 'quality'])
    expect(navFor('supervisor')).toEqual(['inbox', 'tickets', 'quality', 'monitor', 'reports', 'wfm', 'settings'])
    expect(navFor('admin')).toEqual(['inbox', 'tickets', 'quality', 'monitor', 'reports', 'wfm', 'settings'])
    expect(adminPagesFor('supervisor')).toEqual(['kb', 'quick-replies', 'quality-rules', 'alerts'])
    expect(adminPagesFor('admin')).toContain('users')
    expect(adminPagesFor('admin')).toContain('webhooks') // signing secrets: admins only
    expect(adminPagesFor(null)).toEqual([])
    expect(roleAllows('agent', ['admin'])).toBe(false)
    expect(roleAllows('agent', undefined)).toBe(true)
    expect(roleAllows(undefined, ['admin'])).toBe(false)
  })
})

describe('quick replies', () => {
  const replies = [
    { id: '1', shortcut: 'hi', title: 'Greeting', body: 'Hello!' },
    { id: '2', shortcut: 'hint', title: 'Tip', body: 'A tip' },
    { id: '3', shortcut: 'bye', title: 'Closing hi-five', body: 'Bye!' },
  ]
  it('detects the /word being typed', () => {
    expect(shortcutQuery('/hi')).toBe('hi')
    expect(shortcutQuery('thanks /By')).toBe('by')
    expect(shortcutQuery('/')).toBe('')
    expect(shortcutQuery('a/b')).toBeNull()
    expect(shortcutQuery('/hi there')).toBeNull()
  })
  it('matches by shortcut prefix, exact first, then by title', () => {
    expect(matchReplies(replies, 'hi').map((r) => r.id)).toEqual(['1', '2', '3'])
    expect(matchReplies(replies, 'hin').map((r) => r.id)).toEqual(['2'])
    expect(matchReplies(replies, '').map((r) => r.id)).toEqual(['3', '1', '2'])
  })
  it('inserts the body in place of the /word', () => {
    expect(insertReply('/hi', 'Hello!')).toBe('Hello!')
    expect(insertReply('Sure. /wa', 'One moment')).toBe('Sure. One moment')
    expect(isShortcut('/hi')).toBe(true)
    expect(isShortcut('退款')).toBe(true)
    expect(isShortcut('a b')).toBe(false)
  })
})

describe('customer panel', () => {
  it('lists attributes and types edited values', () => {
    expect(attributeRows({ b: 2, a: 'x', c: { d: 1 } })).toEqual([
      { key: 'a', value: 'x' },
      { key: 'b', value: '2' },
      { key: 'c', value: '{"d":1}' },
    ])
    expect(setAttribute({ a: 1 }, ' plan ', 'gold')).toEqual({ a: 1, plan: 'gold' })
    expect(setAttribute({}, 'orders', '12')).toEqual({ orders: 12 })
    expect(setAttribute({}, 'vip', 'true')).toEqual({ vip: true })
  })
})

describe('supervisor monitor', () => {
  const now = Date.parse('2026-11-26T10:10:00Z')
  it('counts waiting conversations and the longest wait per team', () => {
    const rows = queueStats(
      [
        conversation({ id: 'a', status: 'queued', team_id: 't1', queued_at: '2026-11-26T10:00:00Z' }),
        conversation({ id: 'b', status: 'queued', team_id: 't1', queued_at: '2026-11-26T10:09:00Z' }),
        conversation({ id: 'c', status: 'queued', team_id: null, queued_at: null, created_at: '2026-11-26T10:08:00Z' }),
        conversation({ id: 'd', status: 'assigned', team_id: 't1' }),
      ],
      now,
    )
    expect(rows).toEqual([
      { teamId: 't1', waiting: 2, longestWaitSeconds: 600 },
      { teamId: null, waiting: 1, longestWaitSeconds: 120 },
    ])
  })
  it('computes each active agent load, busiest first', () => {
    const users = [
      { id: 'u1', name: 'A', role: 'agent', max_concurrent: 2 },
      { id: 'u2', name: 'B', role: 'agent', max_concurrent: 4 },
      { id: 'u3', name: 'C', role: 'agent', max_concurrent: 4, active: false },
    ]
    const rows = agentLoad(users, [
      conversation({ id: 'x', status: 'assigned', assignee_id: 'u1' }),
      conversation({ id: 'y', status: 'assigned', assignee_id: 'u2' }),
      conversation({ id: 'z', status: 'resolved', assignee_id: 'u2' }),
    ], new Map([['u1', 'online']]))
    expect(rows.map((r) => [r.id, r.load, r.utilisation, r.presence])).toEqual([
      ['u1', 1, 0.5, 'online'],
      ['u2', 1, 0.25, null],
    ])
  })
  it('formats durations', () => {
    expect(formatDuration(45)).toBe('45s')
    expect(formatDuration(185)).toBe('3m 05s')
    expect(formatDuration(3720)).toBe('1h 02m')
  })
})

describe('http uploads and downloads', () => {
  it('sends FormData as multipart (no JSON content type) and keeps the error body', async () => {
    const seen: RequestInit[] = []
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      seen.push(init)
      return new Response(JSON.stringify({ code: 'import_invalid', message: 'bad', errors: [{ row: 2, column: 'q', reason: 'r' }] }), { status: 422 })
    })
    const form = new FormData()
    form.append('file', new Blob(['a,b']), 'x.csv')
    const err = await requestJson('/api/v1', '/kb/import', { method: 'POST', body: form, locale: 'en', token: 't' }).catch((e: unknown) => e)
    expect(seen[0]!.body).toBe(form)
    expect(new Headers(seen[0]!.headers).get('Content-Type')).toBeNull()
    expect(new Headers(seen[0]!.headers).get('Authorization')).toBe('Bearer t')
    expect(importErrors(err)).toEqual([{ row: 2, column: 'q', reason: 'r' }])
  })
  it('downloads a blob with the bearer token', async () => {
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      expect(url).toBe('/api/v1/kb/export?format=csv')
      expect(new Headers(init.headers).get('Authorization')).toBe('Bearer t')
      return new Response('q,a\n', { status: 200 })
    })
    const blob = await requestBlob('/api/v1', '/kb/export', { query: { format: 'csv' }, locale: 'en', token: 't' })
    expect(await blob.text()).toBe('q,a\n')
  })
})

describe('bold runs', () => {
  it('splits and strips **bold** markers', () => {
    expect(splitBold('a **b** c **d**')).toEqual([
      { text: 'a ', bold: false },
      { text: 'b', bold: true },
      { text: ' c ', bold: false },
      { text: 'd', bold: true },
    ])
    expect(splitBold('no ** pair')).toEqual([{ text: 'no ** pair', bold: false }])
    expect(stripBold('**24 小时内**完成')).toBe('24 小时内完成')
  })
})

describe('business hours', () => {
  it('parses and formats opening intervals', () => {
    expect(parseIntervals('09:00-12:00, 13:30 - 18:00')).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '18:00' },
    ])
    expect(parseIntervals('')).toEqual([])
    expect(parseIntervals('9-12')).toBeNull()
    expect(parseIntervals('18:00-09:00')).toBeNull()
    expect(formatIntervals([{ start: '09:00', end: '17:00' }])).toBe('09:00-17:00')
    expect(formatIntervals(undefined)).toBe('')
  })
})
