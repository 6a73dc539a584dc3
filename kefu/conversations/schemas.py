"""API shapes of conversations and messages."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["bot", "queued", "assigned", "resolved", "closed", "abandoned"]
SenderType = Literal["contact", "bot", "agent", "system"]


class ContactRef(BaseModel):
    id: uuid.UUID
    name: str


class AttachmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    url: str


class Suggestion(BaseModel):
    faq_id: str
    question: str


class MessageOut(BaseModel):
    id: uuid.UUID
    conversation_id: uuid.UUID
    seq: int
    sender_type: SenderType
    sender_id: uuid.UUID | None
    body: str
    private: bool
    client_msg_id: str | None
    attachments: list[AttachmentOut]
    suggestions: list[Suggestion]
    created_at: datetime


class ConversationOut(BaseModel):
    id: uuid.UUID
    contact: ContactRef
    inbox_id: uuid.UUID
    channel: str
    status: Status
    assignee_id: uuid.UUID | None
    team_id: uuid.UUID | None
    priority: int
    language: str | None
    tags: list[str]
    handoff_reason: str | None
    created_at: datetime
    updated_at: datetime
    last_message_at: datetime | None
    last_message_preview: str | None
    queued_at: datetime | None
    assigned_at: datetime | None
    first_agent_reply_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None


class ConversationPage(BaseModel):
    items: list[ConversationOut]
    next_cursor: str | None


class MessagePage(BaseModel):
    items: list[MessageOut]


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_msg_id: str = Field(min_length=1, max_length=64)
    body: str = ""
    private: bool = False
    attachment_ids: list[uuid.UUID] = Field(default_factory=list, max_length=10)


class ContactMessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_msg_id: str = Field(min_length=1, max_length=64)
    body: str = ""
    attachment_ids: list[uuid.UUID] = Field(default_factory=list, max_length=10)


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignee_id: uuid.UUID


class TagsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tags: list[str] = Field(max_length=50)


class HandoffOut(BaseModel):
    conversation_id: uuid.UUID
    status: Status


class ConversationCreateIn(BaseModel):
    """Server-to-server: open a conversation for a contact (API channel)."""

    model_config = ConfigDict(extra="forbid")

    contact_id: uuid.UUID
    inbox_id: uuid.UUID
