import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { parseEvent, type ServerEvent } from '../shared/events'
import { ResilientSocket } from '../shared/socket'
import { message } from './fixtures'

class FakeSocket {
  static all: FakeSocket[] = []
  sent: string[] = []
  closed = false
  onopen: (() => void) | null = null
  onmessage: ((e: { data: string }) => void) | null = null
  onclose: ((e: { code: number }) => void) | null = null
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  send(data: string) {
    this.sent.push(data)
  }
  close() {
    this.closed = true
  }
  // test helpers
  open() {
    this.onopen?.()
  }
  emit(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) })
  }
  drop(code = 1006) {
    this.onclose?.({ code })
  }
}

const last = () => FakeSocket.all[FakeSocket.all.length - 1]!

function makeSocket(events: ServerEvent[] = [], onOpen = vi.fn(), onClose = vi.fn()) {
  return new ResilientSocket<ServerEvent>({
    url: (lastEventId) => `ws://test/ws?last_event_id=${lastEventId}`,
    parse: parseEvent,
    keepaliveMs: 20_000,
    onEvent: (e) => events.push(e),
    onOpen,
    onClose,
    random: () => 0,
    backoff: { baseMs: 100, maxMs: 1000 },
    heartbeatTimeoutMs: 60_000,
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
  })
}

beforeEach(() => {
  FakeSocket.all = []
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

describe('ResilientSocket', () => {
  it('answers ping with pong and passes other events on', async () => {
    const events: ServerEvent[] = []
    const s = makeSocket(events)
    s.start()
    await vi.advanceTimersByTimeAsync(0)
    last().open()
    last().emit({ id: null, type: 'ping', data: {} })
    last().emit({ id: 5, type: 'message.created', data: { message: message() } })
    expect(last().sent).toEqual([JSON.stringify({ type: 'pong' })])
    expect(events.map((e) => e.type)).toEqual(['message.created'])
    s.stop()
  })

  it('reconnects with backoff and resumes from the highest event id, dropping replays', async () => {
    const events: ServerEvent[] = []
    const onOpen = vi.fn()
    const s = makeSocket(events, onOpen)
    s.start()
    await vi.advanceTimersByTimeAsync(0)
    last().open()
    const created = (id: number) => ({ id, type: 'message.created', data: { message: message({ seq: id }) } })
    last().emit(created(3))
    last().emit(created(4))
    last().drop()
    expect(s.status).toBe('waiting')

    await vi.advanceTimersByTimeAsync(49)
    expect(FakeSocket.all).toHaveLength(1) // first retry waits baseMs/2 with random() = 0
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeSocket.all).toHaveLength(2)
    expect(last().url).toBe('ws://test/ws?last_event_id=4')

    last().open()
    expect(onOpen).toHaveBeenLastCalledWith(true)
    last().emit(created(4)) // replayed duplicate
    last().emit(created(5))
    expect(events.map((e) => e.id)).toEqual([3, 4, 5])
    s.stop()
  })

  it('backs off further on repeated failures and resets after a good frame', async () => {
    const s = makeSocket()
    s.start()
    await vi.advanceTimersByTimeAsync(0)
    last().drop() // attempt 0 → 50 ms
    await vi.advanceTimersByTimeAsync(50)
    last().drop() // attempt 1 → 100 ms
    await vi.advanceTimersByTimeAsync(99)
    expect(FakeSocket.all).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeSocket.all).toHaveLength(3)
    last().open()
    last().emit({ id: null, type: 'ping', data: {} })
    last().drop() // reset → 50 ms again
    await vi.advanceTimersByTimeAsync(50)
    expect(FakeSocket.all).toHaveLength(4)
    s.stop()
  })

  it('treats heartbeat silence as a dead link', async () => {
    const s = makeSocket()
    s.start()
    await vi.advanceTimersByTimeAsync(0)
    last().open()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(FakeSocket.all[0]!.closed).toBe(true)
    await vi.advanceTimersByTimeAsync(50)
    expect(FakeSocket.all).toHaveLength(2)
    s.stop()
  })

  it('stays down after stop()', async () => {
    const s = makeSocket()
    s.start()
    await vi.advanceTimersByTimeAsync(0)
    last().open()
    s.stop()
    last().drop()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(FakeSocket.all).toHaveLength(1)
    expect(s.send({ type: 'pong' })).toBe(false)
  })

  it('advances past frames it cannot understand, so a resume does not replay them', async () => {
    const events: ServerEvent[] = []
    const s = makeSocket(events)
    s.start()
    await vi.advanceTimersByTimeAsync(0)
    last().open()
    last().emit({ id: 8, type: 'ticket.created', data: {} })
    expect(s.lastEventId).toBe(8)
    expect(events).toEqual([])
    s.stop()
  })

  it('accepts ids afresh after resync_required (the server re-based its cursor)', async () => {
    const events: ServerEvent[] = []
    const s = makeSocket(events)
    s.lastEventId = 500
    s.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(last().url).toBe('ws://test/ws?last_event_id=500')
    last().open()
    last().emit({ id: null, type: 'resync_required', data: {} })
    last().emit({ id: 11, type: 'message.created', data: { message: message() } })
    expect(events.map((e) => e.type)).toEqual(['resync_required', 'message.created'])
    expect(s.lastEventId).toBe(11)
    s.stop()
  })

  it('reports close codes and keeps the link alive from its side', async () => {
    const onClose = vi.fn()
    const s = makeSocket([], vi.fn(), onClose)
    s.start()
    await vi.advanceTimersByTimeAsync(0)
    last().open()
    await vi.advanceTimersByTimeAsync(20_000)
    expect(last().sent).toEqual([JSON.stringify({ type: 'pong' })])
    last().drop(4401)
    expect(onClose).toHaveBeenCalledWith(4401)
    s.stop()
  })
})
