"""Analytics facts: one row per conversation, kept in step with it by a job (not per request)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kefu.core.db import Base, UTCDateTime


class ConversationFact(Base):
    __tablename__ = "conversation_facts"
    __table_args__ = (Index("ix_conversation_facts_tenant_created", "tenant_id", "created_at"),)

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id"), primary_key=True
    )
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    channel: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    agent_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    had_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    self_service: Mapped[bool] = mapped_column(Boolean, default=False)
    abandoned: Mapped[bool] = mapped_column(Boolean, default=False)
    transfers: Mapped[int] = mapped_column(Integer, default=0)
    messages_contact: Mapped[int] = mapped_column(Integer, default=0)
    messages_agent: Mapped[int] = mapped_column(Integer, default=0)
    messages_bot: Mapped[int] = mapped_column(Integer, default=0)
    wait_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    first_response_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    handle_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    resolution_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime)
