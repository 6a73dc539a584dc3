import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ServerEvent } from '../shared/events'
import { ResilientSocket } from '../shared/socket'
import { message } from './fixtures'

class FakeSocket {
  static all: FakeSocket[] = []
  sent: string[] = []
  closed = false
  onopen: (() => void) | null = null
  onmessage: ((e: { data: string }) => void) | null = null
  onclose: (() => void) | null = null
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
  drop() {
    this.onclose?.()
  }
}

const last = () => FakeSocket.all[FakeSocket.all.length - 1]!

function makeSocket(events: ServerEvent[] = [], onOpen = vi.fn()) {
  return new ResilientSocket({
    url: (lastEventId) => `ws://test/ws?last_event_id=${lastEventId}`,
    onEvent: (e) => events.push(e),
    onOpen,
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
    last().emit({ id: 3, type: 'resync_required', data: {} })
    last().emit({ id: 4, type: 'resync_required', data: {} })
    last().drop()
    expect(s.status).toBe('waiting')

    await vi.advanceTimersByTimeAsync(49)
    expect(FakeSocket.all).toHaveLength(1) // first retry waits baseMs/2 with random() = 0
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeSocket.all).toHaveLength(2)
    expect(last().url).toBe('ws://test/ws?last_event_id=4')

    last().open()
    expect(onOpen).toHaveBeenLastCalledWith(true)
    last().emit({ id: 4, type: 'resync_required', data: {} }) // replayed duplicate
    last().emit({ id: 5, type: 'resync_required', data: {} })
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
})
