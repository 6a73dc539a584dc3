"""The bot's per-tenant settings and the record of every bot turn (for analytics)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kefu.core.db import Base, JSONType, UTCDateTime, new_id, utcnow


class BotConfig(Base):
    __tablename__ = "bot_configs"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    answer_threshold: Mapped[float] = mapped_column(Float, default=0.55)
    clarify_threshold: Mapped[float] = mapped_column(Float, default=0.25)
    fallback_handoff_after: Mapped[int] = mapped_column(Integer, default=2)
    handoff_on_negative: Mapped[bool] = mapped_column(Boolean, default=True)
    messages: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class BotTurn(Base):
    """What the bot did with one contact message: answered (faq, score), clarified, fell back,
    talked small, or handed off. One per contact message: the unique key makes replies once-only.
    """

    __tablename__ = "bot_turns"
    __table_args__ = (UniqueConstraint("conversation_id", "message_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    conversation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conversations.id"), index=True)
    message_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("messages.id"))
    reply_message_id: Mapped[uuid.UUID | None] = mapped_column(default=None, index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    faq_id: Mapped[str | None] = mapped_column(String(64), default=None)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    language: Mapped[str] = mapped_column(String(8))
    sentiment: Mapped[float] = mapped_column(Float, default=0.0)
    handoff_reason: Mapped[str | None] = mapped_column(String(32), default=None)
    kb_version: Mapped[int | None] = mapped_column(Integer, default=None)
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    helpful: Mapped[bool | None] = mapped_column(Boolean, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # when an admin took the question into the knowledge base or dismissed it (kefu.bot.learning)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
