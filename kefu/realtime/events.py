"""Typed real-time events: each is a Pydantic model with a dotted `type`."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, Literal

from pydantic import BaseModel

from kefu.conversations.schemas import ConversationOut, MessageOut


class Event(BaseModel):
    """Base of every durable event; `type` names it on the wire."""

    type: ClassVar[str]

    def data(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class MessageCreated(Event):
    type: ClassVar[str] = "message.created"
    message: MessageOut


class ConversationCreated(Event):
    type: ClassVar[str] = "conversation.created"
    conversation: ConversationOut


class ConversationUpdated(Event):
    type: ClassVar[str] = "conversation.updated"
    conversation: ConversationOut


class ConversationAssigned(Event):
    type: ClassVar[str] = "conversation.assigned"
    conversation: ConversationOut
    previous_assignee_id: uuid.UUID | None = None


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (MessageCreated, ConversationCreated, ConversationUpdated, ConversationAssigned)
}


class Frame(BaseModel):
    """What a socket receives: `{"id", "type", "data"}`; id is null for ephemeral frames."""

    id: int | None
    type: str
    data: dict[str, Any]


class TypingIn(BaseModel):
    type: Literal["typing"]
    conversation_id: uuid.UUID
    typing: bool
