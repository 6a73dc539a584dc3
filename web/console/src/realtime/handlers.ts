/**
 * The console's event → handler table (STYLE habit 4): every realtime event type the server sends
 * has exactly one entry here; TypeScript refuses the table if a type is missing.
 */
import type { EventHandlers } from '../../../shared/events'
import { alertHandlers } from './alert-bus'
import { conversationsChanged } from './bus'
import { ticketHandlers } from './ticket-bus'
import type { Conversation, Message, PresenceStatus } from '../../../shared/types'

export interface RealtimeTargets {
  inbox: {
    upsert(conv: Conversation): void
    noteMessage(message: Message): void
    load(): Promise<void>
  }
  conversation: {
    receive(message: Message): void
    update(conv: Conversation): void
    setContactTyping(typing: boolean): void
    catchUp(): Promise<void>
    current: Conversation | null
  }
  /** Presence changes of agents (the switcher and the monitor listen). */
  onPresence?: (userId: string, status: PresenceStatus) => void
  /** Called after a conversation.assigned event is applied (sound / notification). */
  onAssigned?: (conv: Conversation, previousAssigneeId: string | null) => void
}

export function createHandlers({ inbox, conversation, onAssigned, onPresence }: RealtimeTargets): EventHandlers {
  const conversationChanged = ({ conversation: conv }: { conversation: Conversation }): void => {
    inbox.upsert(conv)
    conversation.update(conv)
    conversationsChanged()
  }
  return {
    'message.created': ({ message }) => {
      inbox.noteMessage(message)
      conversation.receive(message)
    },
    'conversation.created': conversationChanged,
    'conversation.updated': conversationChanged,
    'conversation.assigned': (data) => {
      conversationChanged(data)
      onAssigned?.(data.conversation, data.previous_assignee_id ?? null)
    },
    typing: ({ conversation_id, sender_type, typing }) => {
      if (sender_type === 'contact' && conversation.current?.id === conversation_id) {
        conversation.setContactTyping(typing)
      }
    },
    // The bot reloads its index by itself; the admin screens fetch the KB status when opened.
    'kb.published': () => undefined,
    'presence.updated': ({ user_id, status }) => onPresence?.(user_id, status),
    // tickets: the list, the open ticket and the SLA alerts listen on the ticket bus
    ...ticketHandlers,
    // live alerts (managers): the banner and the monitor listen on the alert bus
    ...alertHandlers,
    resync_required: () => {
      void inbox.load()
      void conversation.catchUp().catch(() => undefined)
    },
  }
}
