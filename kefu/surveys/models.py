"""Satisfaction (CSAT) answers: one per conversation (widget) or per ticket (signed link)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kefu.core.db import Base, JSONType, UTCDateTime, new_id, utcnow


class CsatResponse(Base):
    __tablename__ = "csat_responses"
    __table_args__ = (UniqueConstraint("conversation_id"), UniqueConstraint("ticket_id"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversations.id"), default=None
    )
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tickets.id"), default=None)
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"))
    agent_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(32), default="widget")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SurveySettings(Base):
    """A tenant's survey wording: question and thank-you text per language (empty: built-in)."""

    __tablename__ = "survey_settings"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    question: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    thanks: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
