/** The console's realtime connection: a WebSocket ticket per connect, resume by last event id. */
import { ref } from 'vue'
import { api } from '../api'
import { dispatchEvent, parseEvent, type EventHandlers, type ServerEvent } from '../../../shared/events'
import { toWebSocketBase } from '../../../shared/http'
import { ResilientSocket, type SocketStatus } from '../../../shared/socket'

export const connectionStatus = ref<SocketStatus>('stopped')

let socket: ResilientSocket<ServerEvent> | null = null

/** The socket URL; `last_event_id` is sent only once an event has been seen (0 would mean "replay all"). */
export function socketUrl(origin: string, ticket: string, lastEventId: number): string {
  const params = new URLSearchParams({ ticket })
  if (lastEventId > 0) params.set('last_event_id', String(lastEventId))
  return `${toWebSocketBase(origin)}/api/v1/ws?${params.toString()}`
}

export function startRealtime(handlers: EventHandlers, onResume: () => void): void {
  stopRealtime()
  socket = new ResilientSocket({
    url: async (lastEventId) => socketUrl(location.origin, (await api.wsTicket()).ticket, lastEventId),
    parse: parseEvent,
    onEvent: (event) => dispatchEvent(handlers, event),
    onOpen: (resumed) => {
      if (resumed) onResume()
    },
    onStatus: (status) => (connectionStatus.value = status),
    onInvalidFrame: (raw) => console.warn('[kefu] dropped an invalid realtime frame', raw),
  })
  socket.start()
}

export function stopRealtime(): void {
  socket?.stop()
  socket = null
}

export function sendTyping(conversationId: string, typing: boolean): void {
  socket?.send({ type: 'typing', conversation_id: conversationId, typing })
}
