/**
 * The console's event → handler table (STYLE habit 4): every realtime event type the server sends
 * has exactly one entry here; TypeScript refuses the table if a type is missing.
 */
import type { EventHandlers } from '../../../shared/events'
import type { Conversation, Message } from '../../../shared/types'

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
}

export function createHandlers({ inbox, conversation }: RealtimeTargets): EventHandlers {
  const conversationChanged = ({ conversation: conv }: { conversation: Conversation }): void => {
    inbox.upsert(conv)
    conversation.update(conv)
  }
  return {
    'message.created': ({ message }) => {
      inbox.noteMessage(message)
      conversation.receive(message)
    },
    'conversation.created': conversationChanged,
    'conversation.updated': conversationChanged,
    'conversation.assigned': conversationChanged,
    typing: ({ conversation_id, sender_type, typing }) => {
      if (sender_type === 'contact' && conversation.current?.id === conversation_id) {
        conversation.setContactTyping(typing)
      }
    },
    resync_required: () => {
      void inbox.load()
      void conversation.catchUp().catch(() => undefined)
    },
  }
}
