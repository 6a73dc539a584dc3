/**
 * A WebSocket that stays connected: reconnects with exponential backoff and jitter, resumes from the
 * highest event id seen (`last_event_id`), answers `ping` with `pong`, drops duplicate durable events
 * (at-least-once delivery), and reconnects when the server goes silent past the heartbeat timeout.
 */
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff'
import { decodeFrame, frameId } from './events'

export type SocketStatus = 'connecting' | 'open' | 'waiting' | 'stopped'

interface AnyEvent {
  id: number | null
  type: string
}

export interface SocketOptions<E extends AnyEvent> {
  /** Builds the URL for the next connection (may fetch a ticket first); 0 means no event seen yet. */
  url: (lastEventId: number) => string | Promise<string>
  /** Validates one decoded frame; null drops it. */
  parse: (frame: unknown) => E | null
  /** Receives every valid event except `ping`, each durable event once. */
  onEvent: (event: E) => void
  /** Called on each successful open; `resumed` is true after a reconnect. */
  onOpen?: (resumed: boolean) => void
  /** Called when the server closes the connection, with its close code (e.g. 4401 unauthorized). */
  onClose?: (code: number) => void
  onStatus?: (status: SocketStatus) => void
  onInvalidFrame?: (raw: unknown) => void
  backoff?: BackoffOptions
  random?: () => number
  /** Server pings at least every 25 s; silence longer than this means a dead connection. */
  heartbeatTimeoutMs?: number
  /** The client also says something this often, so a busy server never sees an idle client. */
  keepaliveMs?: number
  WebSocketImpl?: typeof WebSocket
}

type Timer = ReturnType<typeof setTimeout>

export class ResilientSocket<E extends AnyEvent> {
  lastEventId = 0
  status: SocketStatus = 'stopped'
  private ws: WebSocket | null = null
  private attempt = 0
  private opened = false
  private retryTimer: Timer | null = null
  private silenceTimer: Timer | null = null
  private keepaliveTimer: ReturnType<typeof setInterval> | null = null
  private readonly onOnline = (): void => this.reconnectNow()

  constructor(private readonly options: SocketOptions<E>) {}

  start(): void {
    if (this.status !== 'stopped') return
    globalThis.addEventListener?.('online', this.onOnline)
    void this.connect()
  }

  stop(): void {
    this.setStatus('stopped')
    globalThis.removeEventListener?.('online', this.onOnline)
    this.clearTimers()
    const ws = this.ws
    this.ws = null
    ws?.close(1000)
  }

  /** Sends a JSON frame if connected; returns whether it was sent. */
  send(frame: object): boolean {
    if (!this.ws || this.status !== 'open') return false
    this.ws.send(JSON.stringify(frame))
    return true
  }

  /** Skips the remaining backoff wait (e.g. when the browser comes back online). */
  reconnectNow(): void {
    if (this.status !== 'waiting') return
    this.clearTimers()
    void this.connect()
  }

  private async connect(): Promise<void> {
    this.setStatus('connecting')
    let url: string
    try {
      url = await this.options.url(this.lastEventId)
    } catch {
      this.scheduleReconnect()
      return
    }
    if (this.status !== 'connecting') return // stopped while fetching the URL
    const Impl = this.options.WebSocketImpl ?? WebSocket
    const ws = new Impl(url)
    this.ws = ws
    ws.onopen = () => {
      if (this.ws !== ws) return
      this.setStatus('open')
      this.armSilenceTimer()
      this.keepaliveTimer = setInterval(() => this.send({ type: 'pong' }), this.options.keepaliveMs ?? 20_000)
      this.options.onOpen?.(this.opened)
      this.opened = true
    }
    ws.onmessage = (msg: MessageEvent) => {
      if (this.ws === ws) this.receive(msg.data)
    }
    ws.onclose = (event: CloseEvent) => {
      if (this.ws !== ws) return
      this.ws = null
      this.options.onClose?.(event?.code ?? 1006)
      this.scheduleReconnect()
    }
  }

  private receive(raw: unknown): void {
    this.armSilenceTimer()
    const frame = decodeFrame(raw)
    const id = frame ? frameId(frame) : null
    if (id !== null && id <= this.lastEventId) return // already delivered before a reconnect
    if (id !== null) this.lastEventId = id // even if not understood: re-reading it would not help
    const event = frame ? this.options.parse(frame) : null
    if (!event) {
      this.options.onInvalidFrame?.(raw)
      return
    }
    this.attempt = 0 // the connection works: the next failure starts backoff afresh
    if (event.type === 'ping') {
      this.send({ type: 'pong' })
      return
    }
    // The server re-based its cursor (e.g. our id was from a log that no longer exists): accept its ids afresh.
    if (event.type === 'resync_required') this.lastEventId = 0
    this.options.onEvent(event)
  }

  private scheduleReconnect(): void {
    if (this.status === 'stopped') return
    this.clearTimers()
    this.setStatus('waiting')
    const delay = backoffDelay(this.attempt++, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random)
    this.retryTimer = setTimeout(() => void this.connect(), delay)
  }

  private armSilenceTimer(): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer)
    const timeout = this.options.heartbeatTimeoutMs ?? 60_000
    this.silenceTimer = setTimeout(() => {
      const ws = this.ws
      this.ws = null // a dead link may never fire onclose; do not wait for it
      ws?.close(4000)
      this.scheduleReconnect()
    }, timeout)
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    if (this.silenceTimer) clearTimeout(this.silenceTimer)
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer)
    this.retryTimer = this.silenceTimer = this.keepaliveTimer = null
  }

  private setStatus(status: SocketStatus): void {
    if (this.status === status) return
    this.status = status
    this.options.onStatus?.(status)
  }
}
